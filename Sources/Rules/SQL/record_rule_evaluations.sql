-- Records that every version in clv_rule_set was evaluated, with its checksum, up to a load watermark.
-- parameters: $1 the load watermark the evaluation read up to (bigint)

insert into clv_meta.rule_evaluations (rule_name, checksum, load_watermark)
select r.name, r.checksum, $1 from clv_meta.payout_rules as r
join clv_rule_set as s on s.rule_name = r.name
on conflict (rule_name) do update
set checksum = excluded.checksum, load_watermark = excluded.load_watermark, evaluated_at = now()

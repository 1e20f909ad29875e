-- The rule set's rules (families), how many of its versions are new or changed since their last
-- evaluation, and the oldest load watermark they were evaluated at (0 when never).

select count(distinct r.family) as rules,
    count(*) filter (where e.rule_name is null or e.checksum <> r.checksum) as changed,
    coalesce(min(e.load_watermark), 0) as since
from clv_rule_set as s
join clv_meta.payout_rules as r on r.name = s.rule_name
left join clv_meta.rule_evaluations as e on e.rule_name = r.name

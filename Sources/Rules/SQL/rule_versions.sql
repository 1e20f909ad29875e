-- A rule's versions in order: status, checksum, when each was applied and superseded (UTC),
-- outcomes, how many conditions, and what each version paid.
-- parameters: $1 the rule's name (its family, text)

select r.version, r.status, left(r.checksum, 12) as checksum,
    to_char(r.applied_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as applied_at,
    coalesce(to_char(r.superseded_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'), 'current') as superseded_at,
    concat_ws('; ', 'payout ' || r.outcome_type || ' ' || r.outcome_amount::text,
        'revenue ' || r.revenue_type || ' ' || r.revenue_amount::text) as outcome,
    (select count(*) from clv_meta.rule_conditions c where c.rule_name = r.name) as conditions,
    (select count(*) from clv_meta.rule_match_slots s where s.rule_name = r.family and s.rule_version = r.version) as paid_outcomes,
    coalesce((select sum(s.amount) from clv_meta.rule_match_slots s where s.rule_name = r.family and s.rule_version = r.version), 0) as paid_amount
from clv_meta.payout_rules as r where r.family = $1 order by r.version

-- The saved rules in their current version, by name: status, frequency, outcomes, how many
-- conditions, and what they have paid (outcomes, payout and booked revenue, every version's).

select r.family as name, r.version, r.status, r.frequency,
    concat_ws('; ', 'payout ' || r.outcome_type || ' ' || r.outcome_amount::text,
        'revenue ' || r.revenue_type || ' ' || r.revenue_amount::text) as outcome,
    (select count(*) from clv_meta.rule_conditions c where c.rule_name = r.name) as conditions,
    (select count(*) from clv_meta.rule_match_slots s where s.rule_name = r.family) as paid_outcomes,
    coalesce((select sum(s.amount) from clv_meta.rule_match_slots s where s.rule_name = r.family), 0) as paid_amount,
    coalesce((select sum(s.revenue_amount) from clv_meta.rule_match_slots s where s.rule_name = r.family), 0) as booked_revenue,
    r.file
from clv_meta.payout_rules as r where r.superseded_at is null order by r.family

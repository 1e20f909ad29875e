-- Appends every outcome of clv_rule_desired_matches that has no slot yet to the ledger, and takes its
-- slot (the slot's primary key refuses a second once-only payout however evaluations interleave).

with fresh as (
    select d.*
    from clv_rule_desired_matches as d
    where not exists (
        select 1 from clv_meta.rule_match_slots as s
        where s.rule_name = d.rule_name and s.customer_id = d.customer_id and s.scope_key = d.scope_key
            and s.slot_key = d.slot_key
    )
),
appended as (
    insert into analytics.rule_matches (
        rule_name, customer_id, conversion_id, scope_key, cycle_start, outcome_type, amount, revenue_type,
        revenue_amount, entry, rule_version)
    select rule_name, customer_id, conversion_id, scope_key, cycle_start, outcome_type, amount, revenue_type,
        revenue_amount, 'match', rule_version
    from fresh
    order by customer_id, rule_name, conversion_id
    returning match_id, rule_name, customer_id, conversion_id, scope_key, cycle_start, amount, revenue_amount,
        rule_version
)
insert into clv_meta.rule_match_slots (
    rule_name, customer_id, scope_key, slot_key, match_id, conversion_id, amount, revenue_amount, rule_version)
select a.rule_name, a.customer_id, a.scope_key, f.slot_key, a.match_id, a.conversion_id, a.amount,
    a.revenue_amount, a.rule_version
from appended as a
join fresh as f
    on f.rule_name = a.rule_name and f.customer_id = a.customer_id and f.scope_key = a.scope_key
    and f.conversion_id = a.conversion_id and f.cycle_start is not distinct from a.cycle_start

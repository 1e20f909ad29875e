-- Appends the outcomes of clv_model_rule_matches to the ledger with their fit, takes a slot for each
-- (one per rule and customer), and counts them: all, and those that change booked revenue.

with appended as (
    insert into analytics.rule_matches (
        rule_name, customer_id, conversion_id, scope_key, outcome_type, amount, revenue_type,
        revenue_amount, entry, rule_version, fit_id)
    select rule_name, customer_id, conversion_id, '', outcome_type, amount, revenue_type,
        revenue_amount, 'match', rule_version, fit_id
    from clv_model_rule_matches
    order by customer_id, rule_name
    returning match_id, rule_name, customer_id, conversion_id, amount, revenue_amount, rule_version
),
slotted as (
    insert into clv_meta.rule_match_slots (
        rule_name, customer_id, scope_key, slot_key, match_id, conversion_id, amount, revenue_amount,
        rule_version)
    select rule_name, customer_id, '', '', match_id, conversion_id, amount, revenue_amount, rule_version
    from appended
)
select count(*) as matched, count(*) filter (where revenue_amount <> 0) as revenue_entries
from appended

-- Appends a reversal to the ledger for each slot in clv_rule_reverse: the negated amounts of the
-- match it reverses.

insert into analytics.rule_matches (
    rule_name, customer_id, conversion_id, scope_key, cycle_start, outcome_type, amount, revenue_type,
    revenue_amount, entry, reverses, rule_version)
select s.rule_name, s.customer_id, s.conversion_id, s.scope_key, m.cycle_start, m.outcome_type, -s.amount,
    m.revenue_type, -s.revenue_amount, 'reversal', s.match_id, s.rule_version
from clv_rule_reverse as s
join analytics.rule_matches as m on m.match_id = s.match_id

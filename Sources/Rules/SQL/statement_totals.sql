-- The totals of clv_statement_lines as text: the month's conversions before rules, what the rules
-- add, the conversions' total, the adjustments' total and the statement's total.

select
    trim_scale(coalesce(sum(default_payout) filter (where kind = 'conversion'), 0))::text as default_payout,
    trim_scale(coalesce(sum(amount - default_payout) filter (where kind = 'conversion'), 0))::text as rules_payout,
    trim_scale(coalesce(sum(amount) filter (where kind = 'conversion'), 0))::text as conversions_total,
    trim_scale(coalesce(sum(amount) filter (where kind = 'adjustment'), 0))::text as adjustments_total,
    trim_scale(coalesce(sum(amount), 0))::text as total
from clv_statement_lines

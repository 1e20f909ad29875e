-- Issued statements with their counts and totals, newest first: one partner's, or everyone's.
-- parameters: $1 the partner id (text), or null for every partner

select partner_id, to_char(period, 'YYYY-MM') as period,
    to_char(issued_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as issued_at,
    conversions, adjustments, trim_scale(conversions_total)::text as conversions_total,
    trim_scale(adjustments_total)::text as adjustments_total, trim_scale(total)::text as total
from clv_meta.payout_statements
where $1::text is null or partner_id = $1
order by period desc, partner_id

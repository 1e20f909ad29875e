-- The partner's issued statement for a month, if any: its id and when it was issued (UTC).
-- parameters: $1 the partner id (text), $2 the month's first day (date, YYYY-MM-DD)

select statement_id, to_char(issued_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as issued_at
from clv_meta.payout_statements where partner_id = $1 and period = $2::date

-- The latest month (YYYY-MM) after a given one for which the partner has an issued statement (null when none).
-- parameters: $1 the partner id (text), $2 the month's first day (date, YYYY-MM-DD)

select to_char(max(period), 'YYYY-MM') as latest from clv_meta.payout_statements
where partner_id = $1 and period > $2::date

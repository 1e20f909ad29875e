-- Saves a computed statement's totals as issued; returns its id and when it was issued (UTC).
-- parameters: $1 the partner id (text), $2 the month's first day (date), $3 conversion lines (integer),
--   $4 adjustment lines (integer), $5 the month's default payout, $6 what the rules add,
--   $7 the conversions' total, $8 the adjustments' total, $9 the statement's total (numeric, each)

insert into clv_meta.payout_statements (
    partner_id, period, conversions, adjustments, default_payout, rules_payout, conversions_total,
    adjustments_total, total)
values (
    $1, $2::date, $3, $4, $5::numeric, $6::numeric, $7::numeric, $8::numeric, $9::numeric)
returning statement_id, to_char(issued_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as issued_at

-- Creates clv_statement_scope (temporary, one statement): the partner and the month's bounds (UTC)
-- that payout_statement_lines reads.
-- parameters: $1 the partner id (text), $2 the month's first day (YYYY-MM-DD), $3 the next month's first day

create temp table clv_statement_scope on commit drop as
select $1::text as partner_id, $2::timestamp at time zone 'UTC' as starts,
    $3::timestamp at time zone 'UTC' as ends

-- Creates clv_statement_lines (temporary, one statement) from an issued statement's frozen lines,
-- so it reads as a computed one does.
-- parameters: $1 the issued statement's id (bigint)

create temp table clv_statement_lines on commit drop as
select line, kind, conversion_id, occurred_at, event, default_payout, applied_rules, bonus, final_payout,
    stated_before, amount
from clv_meta.payout_statement_lines where statement_id = $1

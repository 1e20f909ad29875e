-- Saves the lines of clv_statement_lines as those of an issued statement.
-- parameters: $1 the issued statement's id (bigint)

insert into clv_meta.payout_statement_lines (
    statement_id, line, kind, conversion_id, occurred_at, event, default_payout, applied_rules, bonus,
    final_payout, stated_before, amount)
select $1, line, kind, conversion_id, occurred_at, event, default_payout, applied_rules, bonus,
    final_payout, stated_before, amount
from clv_statement_lines

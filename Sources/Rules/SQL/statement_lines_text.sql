-- The lines of clv_statement_lines as text, in order: times in UTC, money without trailing zeros.

select line, kind, conversion_id,
    to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as occurred_at, event,
    trim_scale(default_payout)::text as default_payout,
    coalesce(array_to_string(applied_rules, ', '), '') as applied_rules, trim_scale(bonus)::text as bonus,
    trim_scale(final_payout)::text as final_payout, trim_scale(stated_before)::text as stated_before,
    trim_scale(amount)::text as amount
from clv_statement_lines order by line

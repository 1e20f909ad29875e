-- name: clv_statement_lines (temporary, one statement)
-- description: The lines of a partner's payout statement for a month (clv_statement_scope: partner_id, starts, ends): each conversion of the month with its final payout, and each earlier conversion whose final payout now differs from what the partner's issued statements stated for it (late data, corrections, reversals, a conversion gone or credited to another partner), for the difference.

with

scope as (
    select partner_id, starts, ends from clv_statement_scope
),

now as (
    -- The partner's conversions up to the month's end, as they are now (rules applied).
    select p.conversion_id, p.occurred_at, p.event, p.default_payout, p.applied_rules, p.bonus, p.final_payout
    from analytics.conversion_payouts as p
    join scope as s on p.partner_id = s.partner_id and p.occurred_at < s.ends
),

stated as (
    -- What the partner's issued statements stated for each conversion, in all.
    select l.conversion_id, sum(l.amount) as stated
    from clv_meta.payout_statement_lines as l
    join clv_meta.payout_statements as t on t.statement_id = l.statement_id
    join scope as s on s.partner_id = t.partner_id
    group by l.conversion_id
),

lines as (
    select
        case when n.occurred_at >= s.starts then 'conversion' else 'adjustment' end as kind,
        coalesce(n.conversion_id, t.conversion_id) as conversion_id,
        n.occurred_at,
        n.event,
        n.default_payout,
        n.applied_rules,
        n.bonus,
        coalesce(n.final_payout, 0) as final_payout,
        coalesce(t.stated, 0) as stated_before,
        coalesce(n.final_payout, 0) - coalesce(t.stated, 0) as amount
    from now as n
    full join stated as t on t.conversion_id = n.conversion_id
    cross join scope as s
    where n.occurred_at >= s.starts or coalesce(n.final_payout, 0) <> coalesce(t.stated, 0)
)

select
    row_number() over (order by kind desc, occurred_at nulls first, conversion_id)::integer as line,
    *
from lines

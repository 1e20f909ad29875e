-- name: clv_rule_facts (temporary, one evaluation)
-- description: Every conversion of the customers being evaluated, once per rule version of clv_rule_set whose scope and timeframe it falls in, with its scope group and goal cycle.
--
-- Reads clv_rule_customers (who to evaluate) and clv_rule_set (which rules: the evaluator puts
-- the active ones there, `clv rules explain` the one it explains, whatever its status). Cycles
-- are UTC days, ISO weeks (from Monday) and calendar months. A rule's window from the first
-- conversion counts from the customer's first conversion of all (window_from 'customer'), or
-- from their first in the scope group, after the Apply-To filter (window_from 'scope').

with

rules as (
    select r.* from clv_meta.payout_rules as r join clv_rule_set as s on s.rule_name = r.name
),

reach as (
    -- How each rule finds its conversions: by an equality on the narrowest Apply-To list it has
    -- (its offers, else its partners), so the conversions are hash-joined to the rules instead of
    -- every conversion being tested against every rule; a rule without either list reaches all.
    select distinct name, 'offer' as by, unnest(offers) as key from rules where offers is not null
    union all
    select distinct name, 'partner', unnest(partners) from rules where offers is null and partners is not null
    union all
    select name, 'all', null from rules where offers is null and partners is null
),

reached as (
    -- The conversions of the customers being evaluated (each branch its own plan: a hash join
    -- over all of them in a full evaluation, lookups by customer in an incremental one).
    select x.name as rule_name, k.*
    from reach as x
    join raw.conversions as k on x.by = 'offer' and k.offer_id = x.key
    where k.customer_id in (select customer_id from clv_rule_customers)
    union all
    select x.name, k.*
    from reach as x
    join raw.conversions as k on x.by = 'partner' and k.partner_id = x.key
    where k.customer_id in (select customer_id from clv_rule_customers)
    union all
    select x.name, k.*
    from reach as x
    cross join raw.conversions as k
    where x.by = 'all' and k.customer_id in (select customer_id from clv_rule_customers)
),

in_scope as (
    select
        r.name as rule_name,
        k.customer_id,
        k.conversion_id,
        k.occurred_at,
        k.event,
        k.revenue,
        coalesce(k.payout, 0) as payout,
        k.params,
        case r.separately_by
            when 'offer' then coalesce(k.offer_id, '')
            when 'partner' then coalesce(k.partner_id, '')
            when 'advertiser' then coalesce(o.advertiser_id, '')
            else ''
        end as scope_key,
        case r.goal_cycle
            when 'daily' then date_trunc('day', k.occurred_at)
            when 'weekly' then date_trunc('week', k.occurred_at)
            when 'monthly' then date_trunc('month', k.occurred_at)
        end as cycle_start,
        r.window_days,
        r.window_from
    from reached as k
    join rules as r on r.name = k.rule_name
    left join raw.offers as o on o.offer_id = k.offer_id
    where (r.partners is null or k.partner_id = any(r.partners))
        and (r.advertisers is null or o.advertiser_id = any(r.advertisers))
        and (r.starts_at is null or k.occurred_at >= r.starts_at)
        and (r.ends_at is null or k.occurred_at < r.ends_at)
),

firsts as (
    -- Each evaluated customer's first conversion, whatever its offer, partner or date: read only
    -- for the customers with a fact of a rule whose window counts from it.
    select customer_id, min(occurred_at) as first_at
    from raw.conversions
    where customer_id in (select customer_id from in_scope where window_days is not null and window_from = 'customer')
    group by customer_id
),

windowed as (
    -- Facts of rules with a window, with the first conversion it counts from.
    select
        s.*,
        case s.window_from
            when 'scope' then min(s.occurred_at) over (partition by s.rule_name, s.customer_id, s.scope_key)
            else f.first_at
        end as first_conversion_at
    from in_scope as s
    left join firsts as f on f.customer_id = s.customer_id and s.window_from = 'customer'
    where s.window_days is not null
)

select rule_name, customer_id, conversion_id, occurred_at, event, revenue, payout, params, scope_key, cycle_start
from in_scope
where window_days is null
union all
select rule_name, customer_id, conversion_id, occurred_at, event, revenue, payout, params, scope_key, cycle_start
from windowed
where occurred_at < first_conversion_at + window_days * interval '1 day'

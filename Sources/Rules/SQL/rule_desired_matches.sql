-- name: clv_rule_desired_matches (temporary, one evaluation)
-- description: The outcomes the rules give now: for each conversion where the rule's conditions hold (every top-level condition and group; an any_of group when one member holds, an all_of group when all do) and the rule applies, the first per customer (and scope group), the first per cycle, or every one, by frequency; with the payout and the revenue each outcome gives. A version puts outcomes only on the conversions of its time, so what an earlier version paid stays and later conversions are judged by the current one.

with

condition_holds as not materialized (
    -- Whether each condition holds at each conversion, with the group it sits in (0: the top level);
    -- read where it is used (materialized, its 7.7M rows at 1M customers would be copied first).
    select rule_name, conversion_id, group_id, holds from clv_rule_condition_state
),

inner_groups as (
    -- Groups inside a group hold conditions only: each one's result, filed under its parent.
    select h.rule_name, h.conversion_id, g.parent_id as group_id,
        case g.combine when 'any' then bool_or(h.holds) else bool_and(h.holds) end as holds
    from condition_holds as h
    join clv_meta.rule_condition_groups as g on g.rule_name = h.rule_name and g.group_id = h.group_id
    where g.parent_id <> 0
    group by h.rule_name, h.conversion_id, g.parent_id, g.group_id, g.combine
),

outer_groups as (
    -- Groups in the top level: their conditions and inner groups combined.
    select m.rule_name, m.conversion_id,
        case g.combine when 'any' then bool_or(m.holds) else bool_and(m.holds) end as holds
    from (
        select rule_name, conversion_id, group_id, holds from condition_holds
        union all
        select rule_name, conversion_id, group_id, holds from inner_groups
    ) as m
    join clv_meta.rule_condition_groups as g on g.rule_name = m.rule_name and g.group_id = m.group_id
    where g.parent_id = 0
    group by m.rule_name, m.conversion_id, g.group_id, g.combine
),

conversion_status as (
    -- The top level: every condition and group in it holds. Each is evaluated on the state
    -- accumulated up to the conversion, so a group is met at the conversion that completes it.
    select rule_name, conversion_id, bool_and(holds) as all_hold
    from (
        select rule_name, conversion_id, holds from condition_holds where group_id = 0
        union all
        select rule_name, conversion_id, holds from outer_groups
    ) as top
    group by rule_name, conversion_id
),

eligible as (
    select f.*, r.family, r.version, r.frequency, r.outcome_type, r.outcome_amount, r.revenue_type,
        r.revenue_amount as revenue_outcome
    from clv_rule_facts as f
    join clv_meta.payout_rules as r on r.name = f.rule_name
    left join conversion_status as s on s.rule_name = f.rule_name and s.conversion_id = f.conversion_id
    where coalesce(s.all_hold, true)
        -- The conversions of the version's time (version 1: from the start).
        and (r.version = 1 or f.occurred_at >= r.applied_at)
        and (r.superseded_at is null or f.occurred_at < r.superseded_at)
        and (
            r.apply_on = 'all_conversions'
            or (r.apply_on = 'base_only' and f.event = 'base')
            or (r.apply_on = 'events' and f.event = any(r.apply_on_events))
        )
),

ranked as (
    -- Per rule (all its versions: a slot paid under one is not paid again under the next).
    select
        *,
        row_number() over (
            partition by family, customer_id, scope_key, case when frequency = 'once_per_cycle' then cycle_start end
            order by occurred_at, conversion_id
        ) as rank
    from eligible
)

select
    family as rule_name,
    version as rule_version,
    customer_id,
    scope_key,
    cycle_start,
    case frequency
        when 'once_per_customer' then ''
        when 'once_per_cycle' then coalesce(to_char(cycle_start at time zone 'UTC', 'YYYY-MM-DD'), '')
        else conversion_id
    end as slot_key,
    conversion_id,
    outcome_type,
    -- The payout and the booked revenue the outcome gives (0 where the rule has no such outcome).
    clv_meta.rule_outcome_amount(outcome_type, outcome_amount, revenue) as amount,
    revenue_type,
    clv_meta.rule_outcome_amount(revenue_type, revenue_outcome, revenue) as revenue_amount
from ranked
where frequency = 'every_conversion' or rank = 1

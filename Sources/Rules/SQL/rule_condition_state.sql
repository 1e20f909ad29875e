-- name: clv_rule_condition_state (temporary, one evaluation)
-- description: For every rule fact and condition: the accumulated value within the scope group and goal cycle up to and including the conversion (in occurred_at order), and whether the condition holds there.
--
-- A conversion counts towards a condition when its event is among the condition's events (all
-- events when none are named) and it carries the data point (built-in metrics: always). The
-- built-in text metric `event` is the conversion's event name.

with

valued as (
    select
        f.rule_name,
        f.customer_id,
        f.scope_key,
        f.cycle_start,
        f.conversion_id,
        f.occurred_at,
        f.event,
        f.revenue,
        f.payout,
        f.params,
        c.position,
        c.group_id,
        c.logic,
        c.operator,
        c.value_type,
        c.text_value,
        c.text_values,
        c.number_value,
        c.number_high,
        c.subject,
        c.parameter,
        (c.events is null or f.event = any(c.events)) as counts
    from clv_rule_facts as f
    join clv_meta.rule_conditions as c on c.rule_name = f.rule_name
),

received as (
    -- Only what the running totals need travels through their sort: the keys, the number
    -- received, and whether the value received holds on its own.
    select
        rule_name, customer_id, scope_key, cycle_start, position, occurred_at, conversion_id, group_id,
        logic, operator, number_value, number_high, number_received,
        received,
        received and case
            when logic = 'count_of_values' then false
            when value_type = 'text' then clv_meta.rule_text_holds(operator, text_received, text_value, text_values)
            else clv_meta.rule_number_holds(operator, number_received, number_value, number_high)
        end as holds_here
    from (
        select
            v.*,
            case
                when v.parameter is not null then v.params ->> v.parameter
                when v.subject = 'event' then v.event
            end as text_received,
            case
                when not v.counts then null
                when v.parameter is not null then clv_meta.rule_number(v.params -> v.parameter)
                when v.subject = 'conversions' then 1
                when v.subject = 'revenue' then v.revenue
                when v.subject = 'payout' then v.payout
            end as number_received,
            v.counts and (v.parameter is null or v.params ? v.parameter) as received
        from valued as v
    ) as r
),

accumulated as (
    select
        *,
        bool_or(holds_here) over running as any_holds,
        sum(number_received) over running as running_sum,
        count(*) filter (where received) over running as running_count
    from received
    window running as (
        partition by rule_name, customer_id, scope_key, cycle_start, position
        order by occurred_at, conversion_id
        rows between unbounded preceding and current row
    )
)

select
    rule_name,
    customer_id,
    conversion_id,
    position,
    group_id,
    running_sum,
    running_count,
    coalesce(
        case logic
            when 'any_value' then any_holds
            when 'sum_of_values' then clv_meta.rule_number_holds(operator, coalesce(running_sum, 0), number_value, number_high)
            else clv_meta.rule_number_holds(operator, running_count, number_value, number_high)
        end,
        false
    ) as holds
from accumulated

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
        c.position,
        c.group_id,
        c.logic,
        c.operator,
        c.value_type,
        c.text_value,
        c.text_values,
        c.number_value,
        c.number_high,
        case
            when c.parameter is not null then f.params ->> c.parameter
            when c.subject = 'event' then f.event
        end as text_received,
        case
            when not (c.events is null or f.event = any(c.events)) then null
            when c.parameter is not null then clv_meta.rule_number(f.params -> c.parameter)
            when c.subject = 'conversions' then 1
            when c.subject = 'revenue' then f.revenue
            when c.subject = 'payout' then f.payout
        end as number_received,
        (c.events is null or f.event = any(c.events)) and (c.parameter is null or f.params ? c.parameter) as received
    from clv_rule_facts as f
    join clv_meta.rule_conditions as c on c.rule_name = f.rule_name
),

accumulated as (
    select
        *,
        bool_or(
            received and case
                when logic = 'count_of_values' then false
                when value_type = 'text' then clv_meta.rule_text_holds(operator, text_received, text_value, text_values)
                else clv_meta.rule_number_holds(operator, number_received, number_value, number_high)
            end
        ) over running as any_holds,
        sum(number_received) over running as running_sum,
        count(*) filter (where received) over running as running_count
    from valued
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

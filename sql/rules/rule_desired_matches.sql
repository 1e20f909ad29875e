-- name: clv_rule_desired_matches (temporary, one evaluation)
-- description: The outcomes the rules give now: for each conversion where every condition holds and the rule applies, the first per customer (and scope group), the first per cycle, or every one, by frequency.

with

conversion_status as (
    select rule_name, conversion_id, bool_and(holds) as all_hold
    from clv_rule_condition_state
    group by rule_name, conversion_id
),

eligible as (
    select f.*, r.frequency, r.outcome_type, r.outcome_amount
    from clv_rule_facts as f
    join clv_meta.payout_rules as r on r.name = f.rule_name
    left join conversion_status as s on s.rule_name = f.rule_name and s.conversion_id = f.conversion_id
    where coalesce(s.all_hold, true)
        and (
            r.apply_on = 'all_conversions'
            or (r.apply_on = 'base_only' and f.event = 'base')
            or (r.apply_on = 'events' and f.event = any(r.apply_on_events))
        )
),

ranked as (
    select
        *,
        row_number() over (
            partition by rule_name, customer_id, scope_key, case when frequency = 'once_per_cycle' then cycle_start end
            order by occurred_at, conversion_id
        ) as rank
    from eligible
)

select
    rule_name,
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
    case outcome_type when 'fixed' then outcome_amount else round(revenue * outcome_amount / 100, 4) end as amount
from ranked
where frequency = 'every_conversion' or rank = 1

-- Each condition of a rule version at the customer's latest conversion in each scope group and cycle
-- (clv_rule_facts and clv_rule_condition_state built for that customer): the condition as text, its
-- accumulated value and whether it holds.
-- parameters: $1 the rule version's name (text)

with latest as (
    select distinct on (scope_key, cycle_start) scope_key, cycle_start, conversion_id
    from clv_rule_facts order by scope_key, cycle_start, occurred_at desc, conversion_id desc
)
select l.scope_key, to_char(l.cycle_start at time zone 'UTC', 'YYYY-MM-DD') as cycle_start,
    coalesce((
        select case when p.group_id is not null then case p.combine when 'any' then 'any_of #' else 'all_of #' end || p.group_id || ' › ' else '' end
            || case g.combine when 'any' then 'any_of #' else 'all_of #' end || g.group_id || ': '
        from clv_meta.rule_condition_groups as g
        left join clv_meta.rule_condition_groups as p on p.rule_name = g.rule_name and p.group_id = g.parent_id
        where g.rule_name = c.rule_name and g.group_id = c.group_id
    ), '')
        || c.subject || ' ' || c.logic || ' ' || c.operator || ' '
        || coalesce(c.text_value, array_to_string(c.text_values, ', '), c.number_value::text || coalesce(' and ' || c.number_high::text, ''))
        || coalesce(' (events: ' || array_to_string(c.events, ', ') || ')', '')
        as condition,
    case c.logic
        when 'sum_of_values' then 'sum ' || coalesce(s.running_sum::text, '0')
        when 'count_of_values' then 'count ' || s.running_count::text
        else 'values: ' || coalesce((
            select string_agg(distinct coalesce(f.params ->> c.parameter, case c.subject
                when 'revenue' then f.revenue::text when 'payout' then f.payout::text
                when 'event' then f.event else '1' end), ', ')
            from clv_rule_facts as f
            where f.scope_key = l.scope_key and f.cycle_start is not distinct from l.cycle_start
                and (c.parameter is null or f.params ? c.parameter)
                and (c.events is null or f.event = any(c.events))
        ), 'none yet')
    end as current,
    s.holds
from latest as l
join clv_meta.rule_conditions as c on c.rule_name = $1
join clv_rule_condition_state as s on s.conversion_id = l.conversion_id and s.position = c.position
order by l.scope_key, l.cycle_start, c.position

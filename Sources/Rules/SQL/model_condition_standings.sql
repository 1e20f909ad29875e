-- Each condition of a rule version on model outputs against a customer's values from the latest fit:
-- the condition as text, the customer's value and whether it holds.
-- parameters: $1 the customer id (text), $2 the rule version's name (text)

with model_values as (
    select p.predicted_clv, p.p_alive::numeric as p_alive, p.predicted_decile::numeric as predicted_decile,
        (select decile::numeric from analytics.clv_deciles where customer_id = $1) as clv_decile
    from analytics.predicted_clv as p where p.customer_id = $1
)
select
    c.subject || ' ' || c.operator || ' ' || c.number_value::text || coalesce(' and ' || c.number_high::text, '')
        as condition,
    coalesce((case c.subject
        when 'predicted_clv' then v.predicted_clv when 'p_alive' then v.p_alive
        when 'predicted_decile' then v.predicted_decile when 'clv_decile' then v.clv_decile
    end)::text, 'no value in the latest fit') as current,
    coalesce(clv_meta.rule_number_holds(c.operator, case c.subject
        when 'predicted_clv' then v.predicted_clv when 'p_alive' then v.p_alive
        when 'predicted_decile' then v.predicted_decile when 'clv_decile' then v.clv_decile
    end, c.number_value, c.number_high), false) as holds
from clv_meta.rule_conditions as c
left join model_values as v on true
where c.rule_name = $2
order by c.position

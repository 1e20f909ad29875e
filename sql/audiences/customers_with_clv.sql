-- name: customers_with_clv
-- description: Every customer with a conversion, carrying historical and predicted CLV for personalisation.
-- identity: email
-- attributes: first_name, last_name, clv, clv_decile, predicted_clv, predicted_decile, p_alive

select
    c.customer_id,
    c.email,
    nullif(split_part(c.name, ' ', 1), '') as first_name,
    nullif(substr(c.name, length(split_part(c.name, ' ', 1)) + 2), '') as last_name,
    v.clv,
    d.decile as clv_decile,
    p.predicted_clv,
    p.predicted_decile,
    round(p.p_alive::numeric, 3) as p_alive
from analytics.customer_value as v
join raw.customers as c on c.customer_id = v.customer_id
left join analytics.clv_deciles as d on d.customer_id = v.customer_id
left join analytics.predicted_clv as p on p.customer_id = v.customer_id

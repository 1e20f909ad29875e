-- name: high_value
-- description: Customers in the top two historical CLV deciles (9 and 10).
-- identity: email
-- attributes: first_name, last_name, clv_decile, clv, partner_id

select
    c.customer_id,
    c.email,
    nullif(split_part(c.name, ' ', 1), '') as first_name,
    nullif(substr(c.name, length(split_part(c.name, ' ', 1)) + 2), '') as last_name,
    d.decile as clv_decile,
    v.clv,
    v.partner_id
from analytics.clv_deciles as d
join analytics.customer_value as v on v.customer_id = d.customer_id
join raw.customers as c on c.customer_id = d.customer_id
where d.decile >= 9

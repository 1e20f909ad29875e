-- name: new_from_affiliates
-- description: Customers whose first conversion, in the last 30 days, came through an affiliate.
-- identity: email
-- attributes: first_name, last_name, partner_id, first_conversion_at

select
    c.customer_id,
    c.email,
    nullif(split_part(c.name, ' ', 1), '') as first_name,
    nullif(substr(c.name, length(split_part(c.name, ' ', 1)) + 2), '') as last_name,
    v.partner_id,
    v.first_conversion_at
from analytics.customer_value as v
join raw.customers as c on c.customer_id = v.customer_id
where v.source = 'affiliate'
    and v.first_conversion_at >= now() - interval '30 days'

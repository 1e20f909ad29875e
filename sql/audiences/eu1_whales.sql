-- name: eu1_whales
-- description: High-value customers (deciles 9 and 10) from the EU1 region: the customer's geo, or a GEO data point on a conversion.
-- identity: email
-- attributes: first_name, last_name, clv_decile, clv, partner_id

select h.*
from audiences.high_value as h
where exists (select 1 from raw.customers as c where c.customer_id = h.customer_id and c.geo = 'EU1')
    or exists (
        select 1 from raw.conversions as k
        where k.customer_id = h.customer_id and k.params ->> 'geo' = 'EU1'
    )

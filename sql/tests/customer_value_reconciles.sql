-- audits: analytics.customer_value
-- description: Total customer revenue equals total revenue of conversions with a customer.
with customers as (
    select coalesce(sum(revenue), 0) as revenue from analytics.customer_value
),
conversions as (
    select coalesce(sum(revenue), 0) as revenue from raw.conversions
    where customer_id is not null and _load_id <= clv_meta.until_load()
)
select customers.revenue as customer_revenue, conversions.revenue as conversion_revenue
from customers, conversions
where customers.revenue <> conversions.revenue

-- audits: analytics.customer_value
-- description: Customers' lifetime revenue, orders and conversions add up to the revenue ledger's rows with a customer.
with customers as (
    select coalesce(sum(lifetime_revenue), 0) as revenue, coalesce(sum(orders), 0) as orders,
        coalesce(sum(conversions), 0) as conversions
    from analytics.customer_value
),
ledger as (
    select coalesce(sum(revenue), 0) as revenue, count(*) filter (where is_purchase) as orders,
        count(*) filter (where origin = 'postback') as conversions
    from analytics_internal.revenue_events
    where customer_id is not null
)
select c.revenue, l.revenue as ledger_revenue, c.orders, l.orders as ledger_orders, c.conversions,
    l.conversions as ledger_conversions
from customers as c, ledger as l
where (c.revenue, c.orders, c.conversions) <> (l.revenue, l.orders, l.conversions)

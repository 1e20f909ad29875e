-- description: New customers per UTC day and source, counted again from the revenue ledger and the customer records: each customer with a revenue event is new on their signup day, else on their first revenue event's, under their record's source ('other' without one).
with customers as (
    select customer_id, min(occurred_at) as first_event_at
    from analytics_internal.revenue_events
    where customer_id is not null
    group by customer_id
),
expected as (
    select (coalesce(u.signup_at, c.first_event_at) at time zone 'UTC')::date as day,
        coalesce(u.source, 'other') as source, count(*) as new_customers
    from customers as c
    left join raw.customers as u on u.customer_id = c.customer_id and u._load_id <= clv_meta.until_load()
    group by 1, 2
)
select coalesce(e.day, n.day) as day, coalesce(e.source, n.source) as source, e.new_customers as expected,
    n.new_customers as reported
from expected as e
full join analytics.new_customers_daily as n on n.day = e.day and n.source = e.source
where e.new_customers is distinct from n.new_customers

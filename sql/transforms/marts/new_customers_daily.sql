-- name: analytics.new_customers_daily
-- materialized: view
-- unique_key: day, source
-- depends_on: analytics_internal.customer_facts
-- description: New customers per UTC day and referral source: a customer with a revenue event is new on their signup day, else on the day of their first revenue event.
-- column day: UTC date
-- column source: `affiliate`, `direct` or `other`
-- column new_customers: customers new that day

select
    (cohort_at at time zone 'UTC')::date as day,
    source,
    count(*) as new_customers
from analytics_internal.customer_facts
group by 1, 2

-- name: analytics.new_customers_daily
-- materialized: view
-- unique_key: day, source
-- depends_on: analytics_internal.customer_facts
-- description: New customers per UTC day and referral source (a customer is new on their signup day, else their first conversion's).

select
    (cohort_at at time zone 'UTC')::date as day,                         /* UTC day */
    source,                                                              /* affiliate, direct or other */
    count(*) as new_customers                                            /* Customers new that day */
from analytics_internal.customer_facts
group by 1, 2

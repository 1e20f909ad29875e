-- name: analytics.new_customers_daily
-- materialized: table
-- unique_key: day, source
-- depends_on: analytics_internal.customer_cohort_revenue, raw.customers
-- description: New customers per UTC day and referral source (a customer is new on their signup day, else their first conversion's).

select
    (c.cohort_at at time zone 'UTC')::date as day,                       /* UTC day */
    coalesce(u.source, 'other') as source,                               /* affiliate, direct or other */
    count(*) as new_customers                                            /* Customers new that day */
from analytics_internal.customer_cohort_revenue as c
left join raw.customers as u on u.customer_id = c.customer_id and u._load_id <= (select clv_meta.until_load())
group by 1, 2

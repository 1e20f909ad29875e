-- name: analytics_internal.customer_cohort_revenue
-- materialized: view
-- unique_key: customer_id
-- depends_on: analytics_internal.customer_facts
-- description: Per customer: cohort instant (signup_at, else first revenue event) and cumulative revenue in the first 7, 30 and 90 days.

select
    customer_id,
    cohort_at,
    cohort_revenue_7d as revenue_7d,
    cohort_revenue_30d as revenue_30d,
    cohort_revenue_90d as revenue_90d
from analytics_internal.customer_facts

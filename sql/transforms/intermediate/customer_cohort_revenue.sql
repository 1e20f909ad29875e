-- name: analytics_internal.customer_cohort_revenue
-- materialized: view
-- unique_key: customer_id
-- depends_on: analytics_internal.customer_facts
-- description: Per customer: cohort instant (signup_at, else first conversion) and cumulative revenue in the first 7, 30 and 90 days.

select customer_id, cohort_at, revenue_7d, revenue_30d, revenue_90d
from analytics_internal.customer_facts

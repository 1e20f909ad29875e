-- name: analytics.source_value
-- materialized: view
-- unique_key: source
-- depends_on: analytics.customer_value
-- description: CLV by referral source (affiliate, direct, other): customers, lifetime revenue, average CLV.

select
    source,                                                              /* affiliate, direct or other */
    count(*) as customers,                                               /* Customers with a revenue event */
    sum(clv) as lifetime_revenue,                                        /* Their lifetime revenue */
    round(avg(clv), 2) as avg_clv                                        /* Average CLV */
from analytics.customer_value
group by source

-- name: analytics.source_value
-- materialized: view
-- unique_key: source
-- depends_on: analytics.customer_value
-- description: CLV by referral source (affiliate, direct, other): customers, revenue, average CLV.

select
    source,                                                              /* affiliate, direct or other */
    count(*) as customers,                                               /* Customers with a conversion */
    sum(clv) as revenue,                                                 /* Their total revenue */
    round(avg(clv), 2) as avg_clv                                        /* Average historical CLV */
from analytics.customer_value
group by source

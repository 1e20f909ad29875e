-- name: analytics.source_value
-- materialized: view
-- unique_key: source
-- depends_on: analytics.customer_value
-- description: CLV by referral source (from the customer record): customers, lifetime revenue, average CLV.
-- column source: `affiliate`, `direct` or `other`
-- column customers: customers with a revenue event
-- column lifetime_revenue: their lifetime revenue
-- column avg_clv: average CLV, 2 decimals

select
    source,
    count(*) as customers,
    sum(clv) as lifetime_revenue,
    round(avg(clv), 2) as avg_clv
from analytics.customer_value
group by source

-- name: analytics.partner_value
-- materialized: view
-- unique_key: partner_id
-- depends_on: analytics_internal.customer_facts, analytics_internal.clv_decile_bounds
-- description: CLV by referring partner: customers, revenue, average CLV and the share of their customers in the top CLV decile.

with

top_decile as (
    -- A customer is in decile 10 when (lookback CLV, customer_id) is at or past its first customer.
    select first_clv, first_customer_id from analytics_internal.clv_decile_bounds where decile = 10
)

select
    f.partner_id,                                                        /* Referring partner */
    count(*) as customers,                                               /* Customers it referred (with a conversion) */
    sum(f.revenue) as revenue,                                           /* Their total revenue */
    round(avg(f.revenue), 2) as avg_clv,                                 /* Average historical CLV */
    round(count(*) filter (
        where (f.recent_clv, f.customer_id) >= (t.first_clv, t.first_customer_id)
    )::numeric / count(*), 4) as top_decile_share                        /* Share of its customers in CLV decile 10 */
from analytics_internal.customer_facts as f
left join top_decile as t on true
where f.partner_id is not null
group by f.partner_id

-- name: analytics.customer_deciles
-- materialized: view
-- depends_on: analytics_internal.decile_population, analytics_internal.clv_decile_bounds
-- description: Every CLV decile of every customer, one row per customer and ranking (lookback window and dimension): decile = ceil(10 × cume_dist()) of the customer's revenue in the window (reference time − N days, reference time] among the customers of its group with a revenue event there, so the best customer is always 10 and equal revenue shares a decile. The rankings are declared once in analytics_internal.decile_rankings; incremental builds move each ranking's bounds instead of ranking everyone again (docs/transforms.md).
-- column customer_id: customer
-- column lookback: 30d, 90d, 180d, 365d or lifetime
-- column dimension: all, source (ranked within referral source) or partner (within referring partner)
-- column group_key: '' for all, else the customer's source or partner
-- column revenue: revenue in the window
-- column decile: 1 to 10 (10 = highest)

with

thresholds as (
    -- Each group's nine bounds, ascending: the first revenue of deciles 2 to 10.
    select lookback, dimension, group_key, array_agg(first_revenue order by decile) filter (where decile > 1) as firsts
    from analytics_internal.clv_decile_bounds
    group by lookback, dimension, group_key
)

select
    p.customer_id,
    p.lookback,
    p.dimension,
    p.group_key,
    p.revenue,
    1 + width_bucket(p.revenue, t.firsts) as decile
from analytics_internal.decile_population as p
join thresholds as t on t.lookback = p.lookback and t.dimension = p.dimension and t.group_key = p.group_key

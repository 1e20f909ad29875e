-- name: analytics.customer_deciles
-- materialized: view
-- depends_on: analytics_internal.decile_population, analytics_internal.clv_decile_bounds
-- description: Every CLV decile of every customer, one row per ranking (lookback window and dimension): decile = ceil(10 × cume_dist()) of the customer's revenue in the window among the customers of its group with a revenue event there.

with

thresholds as (
    -- Each group's nine bounds, ascending: the first revenue of deciles 2 to 10.
    select lookback, dimension, group_key, array_agg(first_revenue order by decile) filter (where decile > 1) as firsts
    from analytics_internal.clv_decile_bounds
    group by lookback, dimension, group_key
)

select
    p.customer_id,                                                       /* Customer id */
    p.lookback,                                                          /* 30d, 90d, 180d, 365d or lifetime (see analytics_internal.decile_rankings) */
    p.dimension,                                                         /* all, source or partner */
    p.group_key,                                                         /* '' for all, else the customer's source or partner */
    p.revenue,                                                           /* Revenue in (reference time − lookback, reference time] */
    1 + width_bucket(p.revenue, t.firsts) as decile                      /* 1 + deciles whose first revenue ≤ this one: 10 = highest, ties share */
from analytics_internal.decile_population as p
join thresholds as t on t.lookback = p.lookback and t.dimension = p.dimension and t.group_key = p.group_key

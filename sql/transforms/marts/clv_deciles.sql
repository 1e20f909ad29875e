-- name: analytics.clv_deciles
-- materialized: view
-- unique_key: customer_id
-- depends_on: analytics.customer_deciles, analytics_internal.customer_facts
-- description: One row per customer with a revenue event up to the reference time: CLV (lifetime revenue) and, per lookback, the revenue in the window and its decile (ceil(10 × cume_dist()), 10 = highest, ties share), plus the 365-day decile within referral source and within partner.

with

deciles as (
    -- The long rows of analytics.customer_deciles side by side.
    select
        customer_id,
        max(revenue) filter (where lookback = '30d' and dimension = 'all') as revenue_30d,
        max(decile) filter (where lookback = '30d' and dimension = 'all') as decile_30d,
        max(revenue) filter (where lookback = '90d' and dimension = 'all') as revenue_90d,
        max(decile) filter (where lookback = '90d' and dimension = 'all') as decile_90d,
        max(revenue) filter (where lookback = '180d' and dimension = 'all') as revenue_180d,
        max(decile) filter (where lookback = '180d' and dimension = 'all') as decile_180d,
        max(revenue) filter (where lookback = '365d' and dimension = 'all') as revenue_365d,
        max(decile) filter (where lookback = '365d' and dimension = 'all') as decile_365d,
        max(revenue) filter (where lookback = 'lifetime' and dimension = 'all') as revenue_lifetime,
        max(decile) filter (where lookback = 'lifetime' and dimension = 'all') as decile_lifetime,
        max(decile) filter (where lookback = '365d' and dimension = 'source') as decile_in_source,
        max(decile) filter (where lookback = '365d' and dimension = 'partner') as decile_in_partner
    from analytics.customer_deciles
    group by customer_id
)

select
    d.customer_id,                                                       /* Customer id */
    f.lifetime_revenue as clv,                                           /* CLV: lifetime revenue net of refunds (as in customer_value) */
    d.decile_365d as decile,                                             /* The 365-day decile (= decile_365d) */
    d.revenue_30d,                                                       /* Revenue in the 30 days up to the reference time (NULL: none) */
    d.decile_30d,                                                        /* Its decile */
    d.revenue_90d,                                                       /* … in 90 days */
    d.decile_90d,                                                        /* Its decile */
    d.revenue_180d,                                                      /* … in 180 days */
    d.decile_180d,                                                       /* Its decile */
    d.revenue_365d,                                                      /* … in 365 days */
    d.decile_365d,                                                       /* Its decile */
    d.revenue_lifetime,                                                  /* All revenue up to the reference time */
    d.decile_lifetime,                                                   /* Its decile */
    d.decile_in_source,                                                  /* 365-day decile among customers of the same referral source */
    d.decile_in_partner                                                  /* 365-day decile among customers of the same partner (NULL without one) */
from deciles as d
left join analytics_internal.customer_facts as f on f.customer_id = d.customer_id

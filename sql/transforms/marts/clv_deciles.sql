-- name: analytics.clv_deciles
-- materialized: view
-- unique_key: customer_id
-- depends_on: analytics.customer_deciles, analytics_internal.customer_facts
-- description: One row per customer with a revenue event up to the reference time: CLV and, per lookback window (30, 90, 180, 365 days or lifetime, up to the reference time in analytics.build_info), the revenue in the window and its decile, plus the 365-day decile within referral source and within partner. Each decile is as in analytics.customer_deciles: ceil(10 × cume_dist()), 10 = highest, ties share.
-- column customer_id: customer
-- column clv: lifetime revenue (as in customer_value)
-- column decile: the 365-day decile (= decile_365d); NULL without revenue events in the 365 days
-- column revenue_30d: revenue in the 30 days up to the reference time (NULL: no revenue event there)
-- column decile_30d: its decile
-- column revenue_90d: revenue in the 90 days up to the reference time (NULL: none)
-- column decile_90d: its decile
-- column revenue_180d: revenue in the 180 days up to the reference time (NULL: none)
-- column decile_180d: its decile
-- column revenue_365d: revenue in the 365 days up to the reference time (NULL: none)
-- column decile_365d: its decile
-- column revenue_lifetime: all revenue up to the reference time
-- column decile_lifetime: its decile
-- column decile_in_source: the 365-day decile within the customer's referral source
-- column decile_in_partner: the 365-day decile within the customer's referring partner (NULL without one)

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
    d.customer_id,
    f.lifetime_revenue as clv,
    d.decile_365d as decile,
    d.revenue_30d,
    d.decile_30d,
    d.revenue_90d,
    d.decile_90d,
    d.revenue_180d,
    d.decile_180d,
    d.revenue_365d,
    d.decile_365d,
    d.revenue_lifetime,
    d.decile_lifetime,
    d.decile_in_source,
    d.decile_in_partner
from deciles as d
left join analytics_internal.customer_facts as f on f.customer_id = d.customer_id

-- name: analytics.partner_value
-- materialized: view
-- unique_key: partner_id
-- depends_on: analytics_internal.customer_facts, analytics_internal.payout_adjustments, analytics_internal.decile_population, analytics_internal.clv_decile_bounds
-- description: CLV by referring partner (from the customer record): customers, their lifetime revenue, what was paid for them (final payouts), net value per customer, the share of them in the top 365-day CLV decile, and their predicted CLV (latest clv predict) against what was paid for them — the number commissions are set by.
-- column partner_id: referring partner (from the customer record)
-- column customers: customers it referred with a revenue event
-- column lifetime_revenue: their lifetime revenue
-- column avg_clv: average CLV, 2 decimals
-- column payout: final payouts of their conversions (payout rules applied)
-- column net_value_per_customer: (lifetime_revenue − payout) / customers, 2 decimals
-- column top_decile_share: share of its customers in 365-day CLV decile 10, 4 decimals
-- column predicted_clv: their predicted CLV over the horizon of the latest clv predict, 2 decimals (NULL before one)
-- column predicted_net_value: predicted_clv − payout, 2 decimals (NULL before a clv predict)
-- column predicted_clv_per_payout: predicted_clv / payout, 2 decimals (NULL before a clv predict or without payouts)

with

adjustments as (
    -- What payout rules add to the default payouts, per customer (few rows).
    select customer_id, sum(adjustment) as adjustment
    from analytics_internal.payout_adjustments
    group by customer_id
),

top_decile as (
    -- Customers in decile 10 of the 365-day ranking: revenue at or above its first revenue.
    select p.customer_id
    from analytics_internal.decile_population as p
    join analytics_internal.clv_decile_bounds as b
        on b.lookback = p.lookback and b.dimension = p.dimension and b.group_key = p.group_key and b.decile = 10
    where p.lookback = '365d' and p.dimension = 'all' and p.revenue >= b.first_revenue
),

customers as (
    select
        f.partner_id,
        f.lifetime_revenue,
        f.default_payout + coalesce(a.adjustment, 0) as payout,
        t.customer_id is not null as in_top_decile,
        p.predicted_clv
    from analytics_internal.customer_facts as f
    left join adjustments as a on a.customer_id = f.customer_id
    left join top_decile as t on t.customer_id = f.customer_id
    left join clv_meta.latest_predictions() as p on p.customer_id = f.customer_id
    where f.partner_id is not null
)

select
    partner_id,
    count(*) as customers,
    sum(lifetime_revenue) as lifetime_revenue,
    round(avg(lifetime_revenue), 2) as avg_clv,
    sum(payout) as payout,
    round((sum(lifetime_revenue) - sum(payout)) / count(*), 2) as net_value_per_customer,
    round(count(*) filter (where in_top_decile)::numeric / count(*), 4) as top_decile_share,
    round(sum(predicted_clv), 2) as predicted_clv,
    round(sum(predicted_clv) - sum(payout), 2) as predicted_net_value,
    round(sum(predicted_clv) / nullif(sum(payout), 0), 2) as predicted_clv_per_payout
from customers
group by partner_id

-- name: analytics.customer_value
-- materialized: view
-- unique_key: customer_id
-- depends_on: analytics_internal.customer_facts, analytics_internal.payout_adjustments
-- description: One row per customer with at least one revenue event (conversion or counted import): conversions, orders, lifetime revenue, final payouts, AOV, tenure and CLV. The facts behind it are kept incrementally in analytics_internal.customer_facts (one row per customer, recomputed for changed customers); the ratios are computed as you read.
-- column customer_id: the user_id sent with conversions
-- column source: `affiliate`, `direct` or `other` (from the customer record; `other` when unknown)
-- column partner_id: referring partner, when known
-- column first_conversion_at: first revenue event
-- column last_conversion_at: latest revenue event
-- column conversions: conversion events of any kind (sign-ups included)
-- column orders: purchases: revenue events with amount > 0
-- column lifetime_revenue: sum of the customer's revenue events, net of refunds
-- column payout: final payouts of the customer's conversions (payout rules applied)
-- column aov: lifetime_revenue / orders, 2 decimals (NULL without orders)
-- column tenure_days: whole days from first to latest revenue event
-- column purchase_frequency: orders per 30 days of tenure (tenures under 30 days count as 30), 4 decimals
-- column clv: historical CLV = lifetime revenue net of refunds

with

adjustments as (
    -- What payout rules add to the default payouts, per customer (few rows).
    select customer_id, sum(adjustment) as adjustment
    from analytics_internal.payout_adjustments
    group by customer_id
)

select
    f.customer_id,
    f.source,
    f.partner_id,
    f.first_conversion_at,
    f.last_conversion_at,
    f.conversions,
    f.orders,
    f.lifetime_revenue,
    f.default_payout + coalesce(a.adjustment, 0) as payout,
    round(f.lifetime_revenue / nullif(f.orders, 0), 2) as aov,
    extract(day from f.last_conversion_at - f.first_conversion_at)::integer as tenure_days,
    round(f.orders::numeric / greatest(extract(epoch from f.last_conversion_at - f.first_conversion_at) / 86400 / 30, 1), 4)
        as purchase_frequency,
    f.lifetime_revenue as clv
from analytics_internal.customer_facts as f
left join adjustments as a on a.customer_id = f.customer_id

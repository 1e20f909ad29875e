-- name: analytics.customer_value
-- materialized: view
-- unique_key: customer_id
-- depends_on: analytics_internal.customer_facts, analytics_internal.payout_adjustments
-- description: One row per customer with at least one revenue event: conversions, orders (purchases), lifetime revenue, final payouts, AOV, tenure and CLV (= lifetime revenue net of refunds).

with

adjustments as (
    -- What payout rules add to the default payouts, per customer (few rows).
    select customer_id, sum(adjustment) as adjustment
    from analytics_internal.payout_adjustments
    group by customer_id
)

select
    f.customer_id,                                                       /* Customer id (the user_id sent with conversions) */
    f.source,                                                            /* Referral source: affiliate, direct or other */
    f.partner_id,                                                        /* Referring partner, when known */
    f.first_conversion_at,                                               /* First revenue event (conversion or import) */
    f.last_conversion_at,                                                /* Latest revenue event */
    f.conversions,                                                       /* Conversion events of any kind (sign-ups included) */
    f.orders,                                                            /* Purchases: revenue events with amount > 0 */
    f.lifetime_revenue,                                                  /* Sum of the customer's revenue events, net of refunds */
    f.default_payout + coalesce(a.adjustment, 0) as payout,              /* Final payouts for the customer's conversions (rules applied) */
    round(f.lifetime_revenue / nullif(f.orders, 0), 2) as aov,           /* Average order value: lifetime revenue / orders (NULL without orders) */
    extract(day from f.last_conversion_at - f.first_conversion_at)::integer as tenure_days, /* Whole days from first to latest revenue event */
    round(f.orders::numeric / greatest(extract(epoch from f.last_conversion_at - f.first_conversion_at) / 86400 / 30, 1), 4)
        as purchase_frequency,                                           /* Orders per 30 days of tenure (tenures under 30 days count as 30) */
    f.lifetime_revenue as clv                                            /* Historical CLV: lifetime revenue net of refunds */
from analytics_internal.customer_facts as f
left join adjustments as a on a.customer_id = f.customer_id

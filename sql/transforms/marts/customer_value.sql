-- name: analytics.customer_value
-- materialized: view
-- unique_key: customer_id
-- depends_on: analytics_internal.customer_facts
-- description: One row per customer with at least one conversion: orders, revenue, payout, AOV, tenure and historical CLV (= total revenue).

select
    customer_id,                                                         /* Customer id (the user_id sent with conversions) */
    source,                                                              /* Referral source: affiliate, direct or other */
    partner_id,                                                          /* Referring partner, when known */
    first_conversion_at,                                                 /* First conversion */
    last_conversion_at,                                                  /* Latest conversion */
    orders,                                                              /* Conversions of any event */
    revenue,                                                             /* Sum of conversion revenue */
    payout,                                                              /* Sum of partner payouts */
    round(revenue / orders, 2) as aov,                                   /* Average order value: revenue / orders */
    extract(day from last_conversion_at - first_conversion_at)::integer as tenure_days, /* Whole days from first to latest conversion */
    round(orders::numeric / greatest(extract(epoch from last_conversion_at - first_conversion_at) / 86400 / 30, 1), 4)
        as purchase_frequency,                                           /* Orders per 30 days of tenure (tenures under 30 days count as 30) */
    revenue as clv                                                       /* Historical CLV: total revenue to date */
from analytics_internal.customer_facts

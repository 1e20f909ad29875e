-- name: analytics.performance
-- materialized: view
-- depends_on: analytics_internal.performance_totals
-- description: Sends, clicks, attributed conversions, revenue, cost and the ratios per message, creative, campaign, sending list, offer and partner.

with

totals as (
    -- Money without trailing zeros, so sums kept by adding and subtracting print as a full build does.
    select dimension, key, sends, clicks, conversions, trim_scale(revenue) as revenue, trim_scale(cost) as cost
    from analytics_internal.performance_totals
)

select
    dimension,                                                           /* message, creative, campaign, list, offer or partner */
    key,                                                                 /* The message_id, creative_id, … */
    sends,                                                               /* Messages sent (0 for offers and partners) */
    clicks,                                                              /* Clicks */
    conversions,                                                         /* Attributed conversions */
    revenue,                                                             /* Revenue of attributed conversions */
    cost,                                                                /* Send cost + payouts of attributed conversions */
    revenue / nullif(sends, 0) as revenue_per_send,                      /* revenue / sends */
    revenue / nullif(clicks, 0) as epc,                                  /* Earnings per click: revenue / clicks */
    conversions::numeric / nullif(clicks, 0) as conversion_rate,         /* conversions / clicks */
    (revenue - cost) / nullif(cost, 0) as roi,                           /* (revenue − cost) / cost */
    revenue / nullif(cost, 0) as roas                                    /* revenue / cost */
from totals

-- name: analytics.conversion_payouts
-- materialized: view
-- unique_key: conversion_id
-- depends_on: analytics.attributed_conversions, analytics_internal.payout_adjustments
-- description: Each conversion with the payout rules whose outcomes it currently carries, its final payout (the rules' outcome where one applies, else the conversion's payout, else its offer's default), its final revenue (revenue outcomes applied) and the margin between them.

select
    a.conversion_id,                                                     /* Conversion */
    a.customer_id,                                                       /* Its customer */
    a.occurred_at,                                                       /* When it happened */
    a.event,                                                             /* Its event */
    a.offer_id,                                                          /* Offer (from the conversion or its click) */
    a.partner_id,                                                        /* Partner (from the conversion or its click) */
    a.revenue,                                                           /* Revenue */
    a.default_payout,                                                    /* The conversion's payout, else the offer's CPA amount or RevShare % of revenue, else 0 */
    coalesce(j.applied_rules, '{}') as applied_rules,                    /* Rules whose outcomes it carries */
    j.revshare_payout,                                                   /* The largest revshare outcome, when any */
    coalesce(j.bonus, 0) as bonus,                                       /* Fixed bonuses */
    a.default_payout + coalesce(j.adjustment, 0) as final_payout,        /* (revshare, else default) + bonuses */
    a.revenue as default_revenue,                                        /* The revenue the conversion reported */
    j.revenue_share,                                                     /* The largest revenue-share outcome, when any */
    coalesce(j.revenue_bonus, 0) as revenue_bonus,                       /* Fixed revenue outcomes */
    a.revenue + coalesce(j.revenue_adjustment, 0) as final_revenue,      /* (revenue share, else reported) + fixed revenue outcomes */
    a.revenue + coalesce(j.revenue_adjustment, 0) - a.default_payout - coalesce(j.adjustment, 0)
        as margin                                                        /* final revenue − final payout */
from analytics.attributed_conversions as a
left join analytics_internal.payout_adjustments as j on j.conversion_id = a.conversion_id

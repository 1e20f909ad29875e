-- name: analytics.conversion_payouts
-- materialized: view
-- unique_key: conversion_id
-- depends_on: analytics.attributed_conversions, analytics_internal.payout_adjustments
-- description: Each conversion with the payout rules whose outcomes it currently carries, its final payout (the largest revshare outcome, else the default payout, plus fixed bonuses), its final revenue (revenue outcomes applied) and the margin between them. The rules' policy: docs/config.md, Customer Value payout rules.
-- column conversion_id: conversion
-- column customer_id: its customer
-- column occurred_at: when it happened
-- column event: its event
-- column offer_id: offer (from the conversion or its click)
-- column partner_id: partner (from the conversion or its click)
-- column revenue: revenue the conversion reported
-- column default_payout: the conversion's payout, else the offer's CPA amount or RevShare % of revenue, else 0
-- column applied_rules: names of the rules whose outcomes it carries
-- column revshare_payout: the largest revshare outcome, when any
-- column bonus: fixed bonuses
-- column final_payout: (revshare payout, else default) + bonuses
-- column default_revenue: the revenue the conversion reported
-- column revenue_share: the largest revenue-share outcome, when any
-- column revenue_bonus: fixed revenue outcomes
-- column final_revenue: (revenue share, else reported revenue) + fixed revenue outcomes
-- column margin: final revenue − final payout

select
    a.conversion_id,
    a.customer_id,
    a.occurred_at,
    a.event,
    a.offer_id,
    a.partner_id,
    a.revenue,
    a.default_payout,
    coalesce(j.applied_rules, '{}') as applied_rules,
    j.revshare_payout,
    coalesce(j.bonus, 0) as bonus,
    a.default_payout + coalesce(j.adjustment, 0) as final_payout,
    a.revenue as default_revenue,
    j.revenue_share,
    coalesce(j.revenue_bonus, 0) as revenue_bonus,
    a.revenue + coalesce(j.revenue_adjustment, 0) as final_revenue,
    a.revenue + coalesce(j.revenue_adjustment, 0) - a.default_payout - coalesce(j.adjustment, 0)
        as margin
from analytics.attributed_conversions as a
left join analytics_internal.payout_adjustments as j on j.conversion_id = a.conversion_id

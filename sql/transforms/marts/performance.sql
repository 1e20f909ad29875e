-- name: analytics.performance
-- materialized: view
-- depends_on: analytics_internal.performance_totals, analytics_internal.payout_adjustments, analytics_internal.rule_revenue, analytics.attributed_conversions
-- description: Per message, creative, campaign, sending list, offer and partner: sends, segments, messaging cost, clicks, conversions, orders, revenue, final partner payouts and the ratios (revenue per send, EPC, conversion rate, ROAS, ROI, net revenue); NULL where a denominator is 0.

with

adjustments as (
    -- What payout rules add to the default payouts of attributed conversions, per dimension (few rows).
    select d.dimension, d.key, sum(a.adjustment) as adjustment
    from analytics_internal.payout_adjustments as a
    cross join lateral (values
        ('message', a.message_id), ('creative', a.creative_id), ('campaign', a.campaign_id), ('list', a.list_id),
        ('offer', a.offer_id), ('partner', a.partner_id)
    ) as d (dimension, key)
    where a.is_attributed and d.key is not null
    group by d.dimension, d.key
),

rule_revenue as (
    -- What revenue outcomes add to attributed conversions' revenue, per dimension, as of the run
    -- (the revenue ledger's rule rows, so performance agrees with it).
    select d.dimension, d.key, sum(r.revenue_adjustment) as revenue_adjustment
    from analytics_internal.rule_revenue as r
    join analytics.attributed_conversions as a on a.conversion_id = r.conversion_id
    cross join lateral (values
        ('message', a.message_id), ('creative', a.creative_id), ('campaign', a.campaign_id), ('list', a.list_id),
        ('offer', a.offer_id), ('partner', a.partner_id)
    ) as d (dimension, key)
    where a.is_attributed and d.key is not null
    group by d.dimension, d.key
),

totals as (
    -- Money without trailing zeros, so sums kept by adding and subtracting print as a full build does.
    select
        t.dimension,
        t.key,
        t.sends,
        t.segments_used,
        trim_scale(t.messaging_cost) as messaging_cost,
        t.clicks,
        t.converting_clicks,
        t.conversions,
        t.orders,
        trim_scale(t.revenue + coalesce(r.revenue_adjustment, 0)) as revenue,
        trim_scale(t.default_payout + coalesce(a.adjustment, 0)) as partner_payout
    from analytics_internal.performance_totals as t
    left join adjustments as a on a.dimension = t.dimension and a.key = t.key
    left join rule_revenue as r on r.dimension = t.dimension and r.key = t.key
)

select
    dimension,                                                           /* message, creative, campaign, list, offer or partner */
    key,                                                                 /* The message_id, creative_id, … */
    sends,                                                               /* Messages sent (0 for offers and partners) */
    segments_used,                                                       /* Message segments (parts) billed */
    messaging_cost,                                                      /* Each send's cost, else segments used × cost per segment */
    clicks,                                                              /* Clicks */
    conversions,                                                         /* Attributed conversion events (sign-ups included) */
    orders,                                                              /* Attributed purchases (amount > 0), imports included */
    revenue,                                                             /* Revenue of attributed conversions and counted imports, revenue outcomes of rules included */
    revenue / nullif(sends, 0) as revenue_per_send,                      /* revenue / sends */
    revenue / nullif(clicks, 0) as epc,                                  /* Earnings per click: revenue / clicks */
    converting_clicks::numeric / nullif(clicks, 0) as conversion_rate,   /* Clicks with an attributed conversion / clicks (≤ 1) */
    partner_payout,                                                      /* Final payouts of attributed conversions (rules applied) */
    revenue / nullif(messaging_cost, 0) as roas,                         /* revenue / messaging cost */
    (revenue - messaging_cost) / nullif(messaging_cost, 0) as roi,       /* (revenue − messaging cost) / messaging cost */
    revenue - messaging_cost - partner_payout as net_revenue             /* revenue − messaging cost − partner payouts */
from totals

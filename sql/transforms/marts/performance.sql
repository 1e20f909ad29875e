-- name: analytics.performance
-- materialized: view
-- depends_on: analytics_internal.performance_totals, analytics_internal.payout_adjustments, analytics_internal.rule_revenue, analytics.attributed_conversions
-- description: Per message, creative, campaign, sending list, offer and partner: sends, segments, messaging cost, clicks, conversions, orders, revenue, final partner payouts and the ratios (revenue per send, EPC, conversion rate, ROAS, ROI, net revenue); NULL where a denominator is 0.

with

adjustments as (
    -- What payout rules add to attributed conversions, per dimension (few rows): to their default
    -- payouts (as the rules stand now) and to their revenue (the revenue ledger's rule rows, as of
    -- the run, so performance agrees with the ledger).
    select d.dimension, d.key, sum(x.adjustment) as adjustment, sum(x.revenue_adjustment) as revenue_adjustment
    from (
        select message_id, creative_id, campaign_id, list_id, offer_id, partner_id, adjustment,
            0 as revenue_adjustment
        from analytics_internal.payout_adjustments
        where is_attributed
        union all
        select a.message_id, a.creative_id, a.campaign_id, a.list_id, a.offer_id, a.partner_id, 0,
            r.revenue_adjustment
        from analytics_internal.rule_revenue as r
        join analytics.attributed_conversions as a on a.conversion_id = r.conversion_id
        where a.is_attributed
    ) as x
    cross join lateral (values
        ('message', x.message_id), ('creative', x.creative_id), ('campaign', x.campaign_id), ('list', x.list_id),
        ('offer', x.offer_id), ('partner', x.partner_id)
    ) as d (dimension, key)
    where d.key is not null
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
        trim_scale(t.revenue + coalesce(a.revenue_adjustment, 0)) as revenue,
        trim_scale(t.default_payout + coalesce(a.adjustment, 0)) as partner_payout
    from analytics_internal.performance_totals as t
    left join adjustments as a on a.dimension = t.dimension and a.key = t.key
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

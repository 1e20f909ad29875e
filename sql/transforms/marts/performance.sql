-- name: analytics.performance
-- materialized: view
-- depends_on: analytics_internal.performance_totals, analytics_internal.payout_adjustments, analytics_internal.rule_revenue, analytics.attributed_conversions
-- description: One row per message, creative, campaign, sending list, offer and partner (key: dimension, key). The counts and sums are kept in analytics_internal.performance_totals by adding what changed (strategy: add); the ratios and the rules' payout and revenue adjustments are applied as you read. Money is printed without trailing zeros (trim_scale), so a total kept by adding and subtracting prints as a full build does. Every ratio is NULL when its denominator is 0, never an error or infinity.
-- column dimension: `message`, `creative`, `campaign`, `list`, `offer` or `partner`
-- column key: its id
-- column sends: messages sent (0 for offers and partners)
-- column segments_used: message segments (parts) billed
-- column messaging_cost: each send's cost, else segments_used × cost_per_segment
-- column clicks: clicks
-- column conversions: attributed conversion events (sign-ups included)
-- column orders: attributed purchases and counted imports with amount > 0
-- column revenue: revenue of attributed conversions and counted imports (an import counts for its click's message, creative, campaign, list, offer and partner), revenue outcomes of payout rules included
-- column revenue_per_send: revenue / sends
-- column epc: revenue / clicks
-- column conversion_rate: clicks with at least one attributed conversion / clicks (never above 1)
-- column partner_payout: final payouts of the attributed conversions (payout rules applied)
-- column roas: revenue / messaging_cost
-- column roi: (revenue − messaging_cost) / messaging_cost
-- column net_revenue: revenue − messaging_cost − partner_payout

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
    dimension,
    key,
    sends,
    segments_used,
    messaging_cost,
    clicks,
    conversions,
    orders,
    revenue,
    revenue / nullif(sends, 0) as revenue_per_send,
    revenue / nullif(clicks, 0) as epc,
    converting_clicks::numeric / nullif(clicks, 0) as conversion_rate,
    partner_payout,
    revenue / nullif(messaging_cost, 0) as roas,
    (revenue - messaging_cost) / nullif(messaging_cost, 0) as roi,
    revenue - messaging_cost - partner_payout as net_revenue
from totals

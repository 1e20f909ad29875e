-- name: analytics_internal.performance_totals
-- materialized: incremental
-- strategy: add
-- unique_key: dimension, key
-- signed: raw.message_sends, analytics_internal.click_facts, analytics.attributed_conversions, analytics_internal.attributed_imports
-- depends_on: raw.message_sends, analytics_internal.click_facts, analytics.attributed_conversions, analytics_internal.attributed_imports
-- description: Sends, segments, messaging cost, clicks, converting clicks, attributed conversions, purchases, revenue and default payouts per message, creative, campaign, sending list, offer and partner, kept up to date by adding what changed.


-- Plain SQL over signed rows (see the signed line): a full build reads every send, click,
-- attributed conversion and counted import once (_sign 1); an incremental build reads only the
-- versions that changed since its last build, the old ones with _sign -1, and the totals of what
-- it returns are added into the published ones.

with

revenue as (
    -- Attributed conversions and counted imports (revenue, not conversions or payouts), summed per
    -- combination of their dimensions first: far fewer rows than conversions to spread over six keys.
    select message_id, creative_id, campaign_id, list_id, offer_id, partner_id, sum(conversions) as conversions,
        sum(orders) as orders, sum(revenue) as revenue, sum(default_payout) as default_payout
    from (
        select a.message_id, a.creative_id, a.campaign_id, a.list_id, a.offer_id, a.partner_id, a._sign as conversions,
            a._sign * a.is_purchase::integer as orders, a._sign * a.revenue as revenue,
            a._sign * a.default_payout as default_payout
        from analytics.attributed_conversions as a
        where a.is_attributed
        union all
        select i.message_id, i.creative_id, i.campaign_id, i.list_id, i.offer_id, i.partner_id, 0,
            i._sign * i.is_purchase::integer, i._sign * i.revenue, 0
        from analytics_internal.attributed_imports as i
    ) as r
    group by message_id, creative_id, campaign_id, list_id, offer_id, partner_id
),

facts as (
    -- Messaging cost: the send's cost when given, else segments used × cost per segment.
    select d.dimension, d.key, s._sign as sends, s._sign * s.segments_used as segments_used,
        s._sign * coalesce(s.cost, s.segments_used * s.cost_per_segment, 0) as messaging_cost,
        0 as clicks, 0 as converting_clicks, 0 as conversions, 0 as orders, 0 as revenue, 0 as default_payout
    from raw.message_sends as s
    cross join lateral (values
        ('message', s.message_id), ('creative', s.creative_id), ('campaign', s.campaign_id), ('list', s.list_id)
    ) as d (dimension, key)
    where d.key is not null
    union all
    -- A click counts for its message's creative, campaign and list too.
    select d.dimension, d.key, 0, 0, 0, k._sign, k._sign * k.converting::integer, 0, 0, 0, 0
    from analytics_internal.click_facts as k
    cross join lateral (values
        ('message', k.message_id), ('creative', k.creative_id), ('campaign', k.campaign_id), ('list', k.list_id),
        ('offer', k.offer_id), ('partner', k.partner_id)
    ) as d (dimension, key)
    where d.key is not null
    union all
    select d.dimension, d.key, 0, 0, 0, 0, 0, r.conversions, r.orders, r.revenue, r.default_payout
    from revenue as r
    cross join lateral (values
        ('message', r.message_id), ('creative', r.creative_id), ('campaign', r.campaign_id), ('list', r.list_id),
        ('offer', r.offer_id), ('partner', r.partner_id)
    ) as d (dimension, key)
    where d.key is not null
)

select
    dimension,                                                           /* message, creative, campaign, list, offer or partner */
    key,                                                                 /* The message_id, creative_id, … */
    sum(sends)::bigint as sends,                                         /* Messages sent */
    sum(segments_used)::bigint as segments_used,                         /* Message segments (parts) billed */
    sum(messaging_cost)::numeric as messaging_cost,                      /* Sum of each send's cost, else segments used × cost per segment */
    sum(clicks)::bigint as clicks,                                       /* Clicks */
    sum(converting_clicks)::bigint as converting_clicks,                 /* Clicks with at least one attributed conversion */
    sum(conversions)::bigint as conversions,                             /* Attributed conversion events */
    sum(orders)::bigint as orders,                                       /* Attributed purchases and counted imports with amount > 0 */
    sum(revenue)::numeric as revenue,                                    /* Revenue of attributed conversions and counted imports */
    sum(default_payout)::numeric as default_payout                       /* Payouts before rules of attributed conversions */
from facts
group by dimension, key

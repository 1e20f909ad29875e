-- name: analytics_internal.performance_totals
-- materialized: incremental
-- strategy: add
-- unique_key: dimension, key
-- depends_on: analytics.attributed_conversions, analytics_internal.attributed_imports, raw.message_sends, raw.clicks, analytics_internal.changed_sends, analytics_internal.changed_clicks
-- description: Sends, segments, messaging cost, clicks, converting clicks, attributed conversions, purchases, revenue and default payouts per message, creative, campaign, sending list, offer and partner, kept up to date by adding what changed.

with

changed_sends as (
    -- unnest(array(…)) so the plan expects a handful and looks each up by key.
    select message_id from unnest(array(select distinct message_id from analytics_internal.changed_sends)) as changed (message_id)
),

sends_now as not materialized (
    select message_id, creative_id, campaign_id, list_id, segments_used, cost, cost_per_segment from raw.message_sends
    where _load_id <= clv_meta.until_load()
),

sends_before as not materialized (
    -- Each send as the last build counted it: the version loaded by then and not yet replaced.
    select message_id, creative_id, campaign_id, list_id, segments_used, cost, cost_per_segment from raw.message_sends
    where _load_id <= clv_meta.since_load()
    union all
    select message_id, creative_id, campaign_id, list_id, segments_used, cost, cost_per_segment
    from raw_history.message_sends
    where _load_id <= clv_meta.since_load() and _replaced_by > clv_meta.since_load()
),

attribution_changes as (
    -- Per click, how many attributed conversions it gained (or lost) since the last build.
    select click_id, sum(_sign) as delta from clv_changes.analytics__attributed_conversions
    where clv_meta.is_incremental() and _build_seq > clv_meta.since_build() and is_attributed and click_id is not null
    group by click_id
),

changed_clicks as (
    -- Clicks loaded, changed or deleted since, the clicks of changed sends, and clicks whose
    -- attributed conversions changed (they may have started or stopped converting).
    select click_id from unnest(array(
        select click_id from analytics_internal.changed_clicks
        union
        select k.click_id from changed_sends as m join raw.clicks as k on k.message_id = m.message_id
        union
        select click_id from attribution_changes
    )) as changed (click_id)
    where clv_meta.is_incremental()
),

clicks_now as not materialized (
    select click_id, message_id, offer_id, partner_id from raw.clicks
    where _load_id <= clv_meta.until_load()
),

clicks_before as not materialized (
    select click_id, message_id, offer_id, partner_id from raw.clicks
    where _load_id <= clv_meta.since_load()
    union all
    select click_id, message_id, offer_id, partner_id from raw_history.clicks
    where _load_id <= clv_meta.since_load() and _replaced_by > clv_meta.since_load()
),

converting_now as (
    -- Clicks with at least one attributed conversion (full build).
    select distinct click_id from analytics.attributed_conversions
    where not clv_meta.is_incremental() and is_attributed and click_id is not null
),

changed_conversion_counts as (
    -- Per changed click: attributed conversions now (by index) and at the last build.
    select c.click_id, n.now_count, n.now_count - coalesce(a.delta, 0) as before_count
    from changed_clicks as c
    cross join lateral (
        select count(*) as now_count from analytics.attributed_conversions as x
        where x.click_id = c.click_id and x.is_attributed
    ) as n
    left join attribution_changes as a on a.click_id = c.click_id
    where clv_meta.is_incremental()
),

send_facts as (
    -- Full build: every send once. Incremental: the changed sends as they are now, minus as they were.
    -- Messaging cost: the send's cost when given, else segments used × cost per segment.
    select 1 as sign, s.* from sends_now as s where not clv_meta.is_incremental()
    union all
    select 1, s.* from changed_sends as m join sends_now as s on s.message_id = m.message_id
    where clv_meta.is_incremental()
    union all
    select -1, s.* from changed_sends as m join sends_before as s on s.message_id = m.message_id
    where clv_meta.is_incremental()
),

click_facts as (
    -- A click counts for its message's creative, campaign and list too; it converts when at least
    -- one conversion is attributed to it.
    select 1 as sign, k.message_id, k.offer_id, k.partner_id, s.creative_id, s.campaign_id, s.list_id,
        (v.click_id is not null)::integer as converting
    from clicks_now as k
    left join sends_now as s on s.message_id = k.message_id
    left join converting_now as v on v.click_id = k.click_id
    where not clv_meta.is_incremental()
    union all
    select 1, k.message_id, k.offer_id, k.partner_id, s.creative_id, s.campaign_id, s.list_id,
        (c.now_count > 0)::integer
    from changed_conversion_counts as c
    join clicks_now as k on k.click_id = c.click_id
    left join sends_now as s on s.message_id = k.message_id
    union all
    select -1, k.message_id, k.offer_id, k.partner_id, s.creative_id, s.campaign_id, s.list_id,
        (c.before_count > 0)::integer
    from changed_conversion_counts as c
    join clicks_before as k on k.click_id = c.click_id
    left join sends_before as s on s.message_id = k.message_id
),

revenue_facts as (
    -- Attributed conversions and counted imports: all of them, or what attribution and the import
    -- resolution removed (-1) and added (+1) since.
    select 1 as sign, message_id, creative_id, campaign_id, list_id, offer_id, partner_id, 1 as conversions,
        is_purchase, revenue, default_payout
    from analytics.attributed_conversions
    where not clv_meta.is_incremental() and is_attributed
    union all
    select _sign, message_id, creative_id, campaign_id, list_id, offer_id, partner_id, 1, is_purchase, revenue,
        default_payout
    from clv_changes.analytics__attributed_conversions
    where clv_meta.is_incremental() and _build_seq > clv_meta.since_build() and is_attributed
    union all
    select 1, message_id, creative_id, campaign_id, list_id, offer_id, partner_id, 0, is_purchase, revenue, 0
    from analytics_internal.attributed_imports
    where not clv_meta.is_incremental()
    union all
    select _sign, message_id, creative_id, campaign_id, list_id, offer_id, partner_id, 0, is_purchase, revenue, 0
    from clv_changes.analytics_internal__attributed_imports
    where clv_meta.is_incremental() and _build_seq > clv_meta.since_build()
),

facts as (
    select d.dimension, d.key, s.sign as sends, s.sign * s.segments_used as segments_used,
        s.sign * coalesce(s.cost, s.segments_used * s.cost_per_segment, 0) as messaging_cost,
        0 as clicks, 0 as converting_clicks, 0 as conversions, 0 as orders, 0 as revenue, 0 as default_payout
    from send_facts as s
    cross join lateral (values
        ('message', s.message_id), ('creative', s.creative_id), ('campaign', s.campaign_id), ('list', s.list_id)
    ) as d (dimension, key)
    where d.key is not null
    union all
    select d.dimension, d.key, 0, 0, 0, k.sign, k.sign * k.converting, 0, 0, 0, 0
    from click_facts as k
    cross join lateral (values
        ('message', k.message_id), ('creative', k.creative_id), ('campaign', k.campaign_id), ('list', k.list_id),
        ('offer', k.offer_id), ('partner', k.partner_id)
    ) as d (dimension, key)
    where d.key is not null
    union all
    select d.dimension, d.key, 0, 0, 0, 0, 0, r.sign * r.conversions, r.sign * r.is_purchase::integer,
        r.sign * r.revenue, r.sign * r.default_payout
    from revenue_facts as r
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

-- name: analytics_internal.performance_totals
-- materialized: incremental
-- strategy: add
-- unique_key: dimension, key
-- depends_on: analytics.attributed_conversions, raw.message_sends, raw.clicks, analytics_internal.changed_sends, analytics_internal.changed_clicks
-- description: Sends, clicks, attributed conversions, revenue and cost per message, creative, campaign, sending list, offer and partner, kept up to date by adding what changed.

with

changed_sends as (
    -- unnest(array(…)) so the plan expects a handful and looks each up by key.
    select message_id from unnest(array(select distinct message_id from analytics_internal.changed_sends)) as changed (message_id)
),

sends_now as not materialized (
    select message_id, creative_id, campaign_id, list_id, cost from raw.message_sends
    where _load_id <= clv_meta.until_load()
),

sends_before as not materialized (
    -- Each send as the last build counted it: the version loaded by then and not yet replaced.
    select message_id, creative_id, campaign_id, list_id, cost from raw.message_sends
    where _load_id <= clv_meta.since_load()
    union all
    select message_id, creative_id, campaign_id, list_id, cost from raw_history.message_sends
    where _load_id <= clv_meta.since_load() and _replaced_by > clv_meta.since_load()
),

changed_clicks as (
    -- Clicks loaded, changed or deleted since, and the clicks of changed sends.
    select click_id from unnest(array(
        select click_id from analytics_internal.changed_clicks
        union
        select k.click_id from changed_sends as m join raw.clicks as k on k.message_id = m.message_id
    )) as changed (click_id)
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

send_facts as (
    -- Full build: every send once. Incremental: the changed sends as they are now, minus as they were.
    select 1 as sign, s.* from sends_now as s where not clv_meta.is_incremental()
    union all
    select 1, s.* from changed_sends as m join sends_now as s on s.message_id = m.message_id
    where clv_meta.is_incremental()
    union all
    select -1, s.* from changed_sends as m join sends_before as s on s.message_id = m.message_id
    where clv_meta.is_incremental()
),

click_facts as (
    -- A click counts for its message's creative, campaign and list too.
    select 1 as sign, k.message_id, k.offer_id, k.partner_id, s.creative_id, s.campaign_id, s.list_id
    from clicks_now as k left join sends_now as s on s.message_id = k.message_id
    where not clv_meta.is_incremental()
    union all
    select 1, k.message_id, k.offer_id, k.partner_id, s.creative_id, s.campaign_id, s.list_id
    from changed_clicks as c
    join clicks_now as k on k.click_id = c.click_id
    left join sends_now as s on s.message_id = k.message_id
    where clv_meta.is_incremental()
    union all
    select -1, k.message_id, k.offer_id, k.partner_id, s.creative_id, s.campaign_id, s.list_id
    from changed_clicks as c
    join clicks_before as k on k.click_id = c.click_id
    left join sends_before as s on s.message_id = k.message_id
    where clv_meta.is_incremental()
),

conversion_facts as (
    -- Attributed conversions: all of them, or the ones attribution removed (-1) and added (+1) since.
    select 1 as sign, message_id, creative_id, campaign_id, list_id, offer_id, partner_id, revenue, payout
    from analytics.attributed_conversions
    where not clv_meta.is_incremental() and is_attributed
    union all
    select _sign, message_id, creative_id, campaign_id, list_id, offer_id, partner_id, revenue, payout
    from clv_changes.analytics__attributed_conversions
    where clv_meta.is_incremental() and _build_seq > clv_meta.since_build() and is_attributed
),

facts as (
    select d.dimension, d.key, s.sign as sends, 0 as clicks, 0 as conversions, 0 as revenue, s.sign * s.cost as cost
    from send_facts as s
    cross join lateral (values
        ('message', s.message_id), ('creative', s.creative_id), ('campaign', s.campaign_id), ('list', s.list_id)
    ) as d (dimension, key)
    where d.key is not null
    union all
    select d.dimension, d.key, 0, k.sign, 0, 0, 0
    from click_facts as k
    cross join lateral (values
        ('message', k.message_id), ('creative', k.creative_id), ('campaign', k.campaign_id), ('list', k.list_id),
        ('offer', k.offer_id), ('partner', k.partner_id)
    ) as d (dimension, key)
    where d.key is not null
    union all
    select d.dimension, d.key, 0, 0, c.sign, c.sign * c.revenue, c.sign * c.payout
    from conversion_facts as c
    cross join lateral (values
        ('message', c.message_id), ('creative', c.creative_id), ('campaign', c.campaign_id), ('list', c.list_id),
        ('offer', c.offer_id), ('partner', c.partner_id)
    ) as d (dimension, key)
    where d.key is not null
)

select
    dimension,                                                           /* message, creative, campaign, list, offer or partner */
    key,                                                                 /* The message_id, creative_id, … */
    sum(sends)::bigint as sends,                                         /* Messages sent */
    sum(clicks)::bigint as clicks,                                       /* Clicks */
    sum(conversions)::bigint as conversions,                             /* Attributed conversions */
    sum(revenue)::numeric as revenue,                                    /* Revenue of attributed conversions */
    sum(cost)::numeric as cost                                           /* Send cost + payouts of attributed conversions */
from facts
group by dimension, key

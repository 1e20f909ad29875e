-- name: analytics.attributed_conversions
-- materialized: incremental
-- unique_key: conversion_id
-- depends_on: raw.conversions, raw.clicks, raw.offers, raw.message_sends, analytics_internal.changed_conversions, analytics_internal.changed_clicks, analytics_internal.changed_offers, analytics_internal.changed_sends
-- keeps_changes: true
-- indexes: (click_id), (customer_id)
-- description: Each conversion joined to its click by click_id, credited only when it happened in [click, click + the offer's attribution_window), and through the click to the message, creative, campaign and sending list; with its default payout (before rules). Conversions outside the window (or with an unknown click) stay, with is_attributed = false. Late facts are handled: a click, offer window or message that arrives after its conversions recomputes them on the next run.
-- column conversion_id: conversion
-- column customer_id: customer (user_id), when sent
-- column occurred_at: when it happened
-- column event: `base` or an event name (deposit, trade, …)
-- column offer_id: offer, from the conversion, else from its click
-- column partner_id: partner, from the conversion, else from its click
-- column click_id: click sent with the conversion
-- column clicked_at: when that click happened, when known
-- column attribution_window: the offer's window; NULL when the offer is unknown (is_attributed then uses 30 days)
-- column is_attributed: within the window after the click: clicked_at <= occurred_at < clicked_at + window
-- column message_id: the clicked message, when any
-- column creative_id: its creative
-- column campaign_id: its campaign
-- column list_id: its sending list
-- column revenue: conversion revenue (negative for a refund)
-- column is_purchase: revenue > 0
-- column default_payout: payout before rules: the conversion's own, else its offer's (CPA amount, or RevShare % of revenue), else 0

with

affected_conversions as (
    -- New, corrected or deleted conversions, and conversions whose click, offer or message arrived
    -- or changed since the last build (each found through an index on the key it joins by).
    -- Repeats are removed below: a union here would size its hash table for the worst case (an
    -- offer change touching all of that offer's conversions), which costs more than the lookups.
    select conversion_id from analytics_internal.changed_conversions
    union all
    select c.conversion_id from analytics_internal.changed_clicks as k join raw.conversions as c on c.click_id = k.click_id
    union all
    select c.conversion_id from analytics_internal.changed_offers as o join raw.conversions as c on c.offer_id = o.offer_id
    union all
    select c.conversion_id
    from unnest(array(
        select k.click_id from analytics_internal.changed_offers as o join raw.clicks as k on k.offer_id = o.offer_id
    )) as k (click_id)
    join raw.conversions as c on c.click_id = k.click_id
    union all
    select c.conversion_id
    from unnest(array(
        select k.click_id from analytics_internal.changed_sends as m join raw.clicks as k on k.message_id = m.message_id
    )) as k (click_id)
    join raw.conversions as c on c.click_id = k.click_id
),

changed_keys as (
    -- `unnest(array(…))`: the planner expects a handful of keys and looks each up by index.
    select distinct conversion_id from unnest(array(select conversion_id from affected_conversions)) as k (conversion_id)
),

conversions as (
    -- Every conversion on a full build; the changed ones only (by primary key) on an incremental one.
    select * from raw.conversions
    where not clv_meta.is_incremental() and _load_id <= clv_meta.until_load()
    union all
    select c.* from changed_keys as k
    join raw.conversions as c on c.conversion_id = k.conversion_id
    where clv_meta.is_incremental() and c._load_id <= clv_meta.until_load()
),

clicks as (
    select * from raw.clicks where _load_id <= clv_meta.until_load()
),

offers as (
    select * from raw.offers where _load_id <= clv_meta.until_load()
),

sends as (
    select * from raw.message_sends where _load_id <= clv_meta.until_load()
),

final as (
    select
        c.conversion_id,
        c.customer_id,
        c.occurred_at,
        c.event,
        coalesce(c.offer_id, k.offer_id) as offer_id,
        coalesce(c.partner_id, k.partner_id) as partner_id,
        c.click_id,
        k.occurred_at as clicked_at,
        o.attribution_window,
        coalesce(
            k.occurred_at is not null
            and c.occurred_at >= k.occurred_at
            and c.occurred_at < k.occurred_at + coalesce(o.attribution_window, interval '30 days'),
            false
        ) as is_attributed,
        k.message_id,
        m.creative_id,
        m.campaign_id,
        m.list_id,
        c.revenue,
        c.revenue > 0 as is_purchase,
        coalesce(
            c.payout,
            case o.payout_type when 'revshare' then o.payout * c.revenue / 100 else o.payout end,
            0
        ) as default_payout
    from conversions as c
    left join clicks as k on k.click_id = c.click_id
    left join offers as o on o.offer_id = coalesce(c.offer_id, k.offer_id)
    left join sends as m on m.message_id = k.message_id
),

gone as (
    -- Changed conversions that no longer exist.
    select k.conversion_id, null, null::timestamptz, null, null, null, null, null::timestamptz, null::interval,
        null::boolean, null, null, null, null, null::numeric, null::boolean, null::numeric, true
    from changed_keys as k
    where clv_meta.is_incremental() and not exists (
        select from raw.conversions as c
        where c.conversion_id = k.conversion_id and c._load_id <= clv_meta.until_load()
    )
)

select *, false as _deleted from final
union all
select * from gone

-- name: analytics.attributed_conversions
-- materialized: incremental
-- unique_key: conversion_id
-- depends_on: raw.conversions, raw.clicks, raw.offers, raw.message_sends, analytics_internal.changed_conversions, analytics_internal.changed_clicks, analytics_internal.changed_offers, analytics_internal.changed_sends
-- keeps_changes: true
-- indexes: (click_id), (customer_id)
-- description: Each conversion with its click, credited when it happened within the offer's attribution window after the click, and through the click to the message, creative, campaign and sending list; with its default payout (before rules).

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
        c.conversion_id,                                                 /* Conversion id */
        c.customer_id,                                                   /* Customer (user_id), when sent */
        c.occurred_at,                                                   /* When the conversion happened */
        c.event,                                                         /* base, or an event name (deposit, trade, …) */
        coalesce(c.offer_id, k.offer_id) as offer_id,                    /* Offer, from the conversion or its click */
        coalesce(c.partner_id, k.partner_id) as partner_id,              /* Partner, from the conversion or its click */
        c.click_id,                                                      /* Click id sent with the conversion */
        k.occurred_at as clicked_at,                                     /* When that click happened, when it is known */
        o.attribution_window,                                            /* The offer's window (30 days when the offer is unknown) */
        coalesce(
            k.occurred_at is not null
            and c.occurred_at >= k.occurred_at
            and c.occurred_at < k.occurred_at + coalesce(o.attribution_window, interval '30 days'),
            false
        ) as is_attributed,                                              /* True when the conversion fell in [click, click + window) */
        k.message_id,                                                    /* Message that was clicked, when any */
        m.creative_id,                                                   /* Its creative */
        m.campaign_id,                                                   /* Its campaign */
        m.list_id,                                                       /* Its sending list */
        c.revenue,                                                       /* Conversion revenue (negative for a refund) */
        c.revenue > 0 as is_purchase,                                    /* A purchase: a revenue event with amount > 0 */
        coalesce(                                                        /* Payout before rules: the conversion's own, else its offer's (CPA amount, or RevShare % of revenue), else 0 */
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

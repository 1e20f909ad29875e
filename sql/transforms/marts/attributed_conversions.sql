-- name: analytics.attributed_conversions
-- materialized: incremental
-- unique_key: conversion_id
-- recompute: conversion_id from raw.conversions, raw.clicks(click_id -> raw.conversions), raw.offers(offer_id -> raw.conversions), raw.offers(offer_id -> raw.clicks.click_id -> raw.conversions), raw.message_sends(message_id -> raw.clicks.click_id -> raw.conversions)
-- depends_on: raw.conversions, raw.clicks, raw.offers, raw.message_sends
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


-- Plain SQL over every conversion: the engine recomputes only the conversions that changed or whose
-- click, offer or message arrived or changed (see the recompute line), by filtering on
-- conversion_id, which reaches raw.conversions by its primary key.

with

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
    from raw.conversions as c
    left join raw.clicks as k on k.click_id = c.click_id and k._load_id <= clv_meta.until_load()
    left join raw.offers as o on o.offer_id = coalesce(c.offer_id, k.offer_id) and o._load_id <= clv_meta.until_load()
    left join raw.message_sends as m on m.message_id = k.message_id and m._load_id <= clv_meta.until_load()
    where c._load_id <= clv_meta.until_load()
)

select * from final

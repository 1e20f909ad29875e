-- name: analytics_internal.attributed_imports
-- materialized: incremental
-- unique_key: click_id, revenue_date
-- keeps_changes: true
-- indexes: (customer_id), (occurred_at)
-- recompute: click_id from raw.revenue_imports, raw.conversions, raw.clicks, raw.message_sends(message_id -> raw.clicks)
-- depends_on: raw.revenue_imports, raw.conversions, raw.clicks, raw.message_sends
-- description: Each manually imported revenue amount that counts (no postback delivered revenue for its click), credited through its click to the message, creative, campaign, list, offer and partner, and to the customer of the click's first conversion.


-- Plain SQL over every import: the engine recomputes only the clicks whose imports, conversions
-- (postback revenue, or a new first customer), own row or message's send changed (see the
-- recompute line), by filtering on click_id.

with

counted as (
    -- An import counts only when no postback delivered revenue for its click: importing what a
    -- postback already carried changes nothing.
    select i.click_id, i.revenue_date, i.amount from raw.revenue_imports as i
    where i._load_id <= clv_meta.until_load()
        and not exists (
            select from raw.conversions as p
            where p.click_id = i.click_id and p.revenue <> 0 and p._load_id <= clv_meta.until_load()
        )
)

select
    i.click_id,                                                      /* The click the amount was imported for */
    i.revenue_date,                                                  /* The day it was earned (UTC) */
    i.revenue_date::timestamp at time zone 'UTC' as occurred_at,     /* Midnight UTC of that day */
    f.customer_id,                                                   /* Customer of the click's first conversion, when known */
    k.message_id,                                                    /* Message that was clicked, when any */
    m.creative_id,                                                   /* Its creative */
    m.campaign_id,                                                   /* Its campaign */
    m.list_id,                                                       /* Its sending list */
    coalesce(f.offer_id, k.offer_id) as offer_id,                    /* Offer, from the conversion or the click */
    coalesce(f.partner_id, k.partner_id) as partner_id,              /* Partner, from the conversion or the click */
    i.amount as revenue,                                             /* The imported amount */
    i.amount > 0 as is_purchase                                      /* A purchase: a revenue event with amount > 0 */
from counted as i
left join lateral (
    -- The click's first conversion that names a customer: that customer owns the click's imports.
    select c.customer_id, c.offer_id, c.partner_id from raw.conversions as c
    where c.click_id = i.click_id and c.customer_id is not null and c._load_id <= clv_meta.until_load()
    order by c.occurred_at, c.conversion_id
    limit 1
) as f on true
left join raw.clicks as k on k.click_id = i.click_id and k._load_id <= clv_meta.until_load()
left join raw.message_sends as m on m.message_id = k.message_id and m._load_id <= clv_meta.until_load()

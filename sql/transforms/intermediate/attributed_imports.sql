-- name: analytics_internal.attributed_imports
-- materialized: incremental
-- unique_key: click_id, revenue_date
-- keeps_changes: true
-- indexes: (customer_id), (occurred_at)
-- depends_on: raw.revenue_imports, raw.conversions, raw.clicks, raw.message_sends, analytics_internal.changed_conversions, analytics_internal.changed_clicks, analytics_internal.changed_sends
-- description: Each manually imported revenue amount that counts (no postback delivered revenue for its click), credited through its click to the message, creative, campaign, list, offer and partner, and to the customer of the click's first conversion.

with

changed_clicks as (
    -- Clicks whose imports must be placed again: imports loaded, corrected or deleted; conversions on
    -- the click (postback revenue, or a new first customer); the click's own row; its message's send.
    select click_id from unnest(array(
        select click_id from raw.revenue_imports
        where _load_id > clv_meta.since_load() and _load_id <= clv_meta.until_load()
        union
        select click_id from raw_history.revenue_imports
        where _replaced_by > clv_meta.since_load() and _replaced_by <= clv_meta.until_load()
        union
        select click_id from analytics_internal.changed_conversions where click_id is not null
        union
        select click_id from analytics_internal.changed_clicks
        union
        select k.click_id from analytics_internal.changed_sends as m join raw.clicks as k on k.message_id = m.message_id
    )) as changed (click_id)
),

imports as (
    -- Every import on a full build; the changed clicks' only (by primary key) on an incremental one.
    select i.click_id, i.revenue_date, i.amount from raw.revenue_imports as i
    where not clv_meta.is_incremental() and i._load_id <= clv_meta.until_load()
    union all
    select i.click_id, i.revenue_date, i.amount from changed_clicks as k
    join raw.revenue_imports as i on i.click_id = k.click_id
    where clv_meta.is_incremental() and i._load_id <= clv_meta.until_load()
),

counted as (
    -- An import counts only when no postback delivered revenue for its click: importing what a
    -- postback already carried changes nothing.
    select i.* from imports as i
    where not exists (
        select from raw.conversions as p
        where p.click_id = i.click_id and p.revenue <> 0 and p._load_id <= clv_meta.until_load()
    )
),

first_conversions as (
    -- Each click's first conversion that names a customer: that customer owns the click's imports.
    select distinct on (c.click_id) c.click_id, c.customer_id, c.offer_id, c.partner_id
    from raw.conversions as c
    where c.click_id in (select click_id from counted) and c.customer_id is not null
        and c._load_id <= clv_meta.until_load()
    order by c.click_id, c.occurred_at, c.conversion_id
),

final as (
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
        i.amount > 0 as is_purchase,                                     /* A purchase: a revenue event with amount > 0 */
        false as _deleted
    from counted as i
    left join first_conversions as f on f.click_id = i.click_id
    left join raw.clicks as k on k.click_id = i.click_id and k._load_id <= clv_meta.until_load()
    left join raw.message_sends as m on m.message_id = k.message_id and m._load_id <= clv_meta.until_load()
),

gone as (
    -- The changed clicks' imports that no longer count (deleted, or a postback now carries revenue).
    select h.click_id, h.revenue_date, null::timestamptz, null, null, null, null, null, null, null, null::numeric,
        null::boolean, true
    from (
        select i.click_id, i.revenue_date from changed_clicks as k
        join raw.revenue_imports as i on i.click_id = k.click_id
        union
        select click_id, revenue_date from raw_history.revenue_imports
        where _replaced_by > clv_meta.since_load() and _replaced_by <= clv_meta.until_load()
    ) as h
    where clv_meta.is_incremental() and not exists (
        select from counted as c where c.click_id = h.click_id and c.revenue_date = h.revenue_date
    )
)

select * from final
union all
select * from gone

-- name: analytics.contact_lifetime
-- materialized: incremental
-- unique_key: contact
-- depends_on: raw.message_sends, raw.clicks, analytics.attributed_conversions, analytics_internal.attributed_imports, analytics_internal.changed_sends, analytics_internal.changed_clicks
-- description: Lifetime totals per contact (email address as sent): sends, clicks, and the revenue of the conversions and counted imports attributed to the contact's clicks.
-- column contact: email address as sent (not normalised)
-- column sends: messages sent to it
-- column clicks: clicks from it
-- column revenue: revenue of its clicks' attributed conversions and counted imports (revenue outcomes of payout rules not included)

with

changed_contacts as (
    -- Contacts of new, changed or deleted sends and clicks, and of clicks whose attributed
    -- conversions or counted imports changed since this relation's last build (every contact on a full build).
    select contact from analytics_internal.changed_sends
    union
    select contact from analytics_internal.changed_clicks
    union
    select k.contact from clv_changes.analytics__attributed_conversions as a
    join raw.clicks as k on k.click_id = a.click_id
    where a._build_seq > clv_meta.since_build()
    union
    select k.contact from clv_changes.analytics_internal__attributed_imports as i
    join raw.clicks as k on k.click_id = i.click_id
    where i._build_seq > clv_meta.since_build()
),

contacts as (
    select contact from changed_contacts where contact is not null and clv_meta.is_incremental()
),

send_rows as (
    -- Every send on a full build; the changed contacts' only (by index) on an incremental one.
    select contact from raw.message_sends
    where not clv_meta.is_incremental() and contact is not null and _load_id <= clv_meta.until_load()
    union all
    select s.contact from contacts as c
    join raw.message_sends as s on s.contact = c.contact
    where clv_meta.is_incremental() and s._load_id <= clv_meta.until_load()
),

click_rows as (
    select contact, click_id from raw.clicks
    where not clv_meta.is_incremental() and contact is not null and _load_id <= clv_meta.until_load()
    union all
    select k.contact, k.click_id from contacts as c
    join raw.clicks as k on k.contact = c.contact
    where clv_meta.is_incremental() and k._load_id <= clv_meta.until_load()
),

attributed_revenue as (
    -- Each click's attributed conversions and counted imports (by click_id on an incremental build).
    select k.contact, a.revenue
    from click_rows as k
    join analytics.attributed_conversions as a on a.click_id = k.click_id
    where a.is_attributed
    union all
    select k.contact, i.revenue
    from click_rows as k
    join analytics_internal.attributed_imports as i on i.click_id = k.click_id
),

sends as (select contact, count(*) as sends from send_rows group by contact),

clicks as (select contact, count(*) as clicks from click_rows group by contact),

revenue as (select contact, sum(revenue) as revenue from attributed_revenue group by contact),

final as (
    select
        coalesce(s.contact, k.contact, r.contact) as contact,
        coalesce(s.sends, 0) as sends,
        coalesce(k.clicks, 0) as clicks,
        coalesce(r.revenue, 0) as revenue,
        false as _deleted
    from sends as s
    full join clicks as k on k.contact = s.contact
    full join revenue as r on r.contact = coalesce(s.contact, k.contact)
),

gone as (
    -- Changed contacts with no send or click left.
    select c.contact, null::bigint, null::bigint, null::numeric, true
    from contacts as c
    where not exists (
        select from raw.message_sends as s where s.contact = c.contact and s._load_id <= clv_meta.until_load()
    )
    and not exists (
        select from raw.clicks as k where k.contact = c.contact and k._load_id <= clv_meta.until_load()
    )
)

select * from final
union all
select * from gone

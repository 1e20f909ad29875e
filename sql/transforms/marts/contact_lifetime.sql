-- name: analytics.contact_lifetime
-- materialized: table
-- unique_key: contact
-- depends_on: raw.message_sends, raw.clicks, analytics.attributed_conversions
-- description: Lifetime sends, clicks and attributed revenue per contact (email address as sent).

with

sends as (
    select contact, count(*) as sends from raw.message_sends
    where contact is not null and _load_id <= (select clv_meta.until_load()) group by contact
),

clicks as (
    select contact, count(*) as clicks from raw.clicks
    where contact is not null and _load_id <= (select clv_meta.until_load()) group by contact
),

revenue as (
    select k.contact, sum(a.revenue) as revenue
    from analytics.attributed_conversions as a
    join raw.clicks as k on k.click_id = a.click_id and k._load_id <= (select clv_meta.until_load())
    where a.is_attributed and k.contact is not null
    group by k.contact
)

select
    coalesce(s.contact, k.contact, r.contact) as contact,                /* Email address as sent */
    coalesce(s.sends, 0) as sends,                                       /* Messages sent to it */
    coalesce(k.clicks, 0) as clicks,                                     /* Clicks from it */
    coalesce(r.revenue, 0) as revenue                                    /* Revenue of conversions attributed to its clicks */
from sends as s
full join clicks as k on k.contact = s.contact
full join revenue as r on r.contact = coalesce(s.contact, k.contact)

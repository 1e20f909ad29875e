-- name: analytics.contact_lifetime
-- materialized: incremental
-- unique_key: contact
-- recompute: contact from raw.message_sends, raw.clicks, analytics.attributed_conversions(click_id -> raw.clicks), analytics_internal.attributed_imports(click_id -> raw.clicks)
-- depends_on: raw.message_sends, raw.clicks, analytics.attributed_conversions, analytics_internal.attributed_imports
-- description: Lifetime totals per contact (email address as sent): sends, clicks, and the revenue of the conversions and counted imports attributed to the contact's clicks.
-- column contact: email address as sent (not normalised)
-- column sends: messages sent to it
-- column clicks: clicks from it
-- column revenue: revenue of its clicks' attributed conversions and counted imports (revenue outcomes of payout rules not included)


-- One row per contact from one pass over its sends, clicks and the revenue attributed to those
-- clicks. Plain SQL over whole relations: the engine recomputes only the contacts whose sends,
-- clicks or attributed revenue changed (see the recompute line), by filtering on contact.

select
    contact,
    sum(sends)::bigint as sends,
    sum(clicks)::bigint as clicks,
    sum(revenue) as revenue
from (
    select contact, 1 as sends, 0 as clicks, 0::numeric as revenue
    from raw.message_sends
    where contact is not null and _load_id <= clv_meta.until_load()
    union all
    select contact, 0, 1, 0
    from raw.clicks
    where contact is not null and _load_id <= clv_meta.until_load()
    union all
    select k.contact, 0, 0, a.revenue
    from raw.clicks as k
    join analytics.attributed_conversions as a on a.click_id = k.click_id and a.is_attributed
    where k.contact is not null and k._load_id <= clv_meta.until_load()
    union all
    select k.contact, 0, 0, i.revenue
    from raw.clicks as k
    join analytics_internal.attributed_imports as i on i.click_id = k.click_id
    where k.contact is not null and k._load_id <= clv_meta.until_load()
) as activity
group by contact

-- name: analytics_internal.audience_member_results
-- materialized: incremental
-- unique_key: audience, campaign_id, contact
-- depends_on: raw.email_events, raw.customers, raw.conversions, raw.revenue_imports, analytics_internal.revenue_events, analytics_internal.changed_conversions, analytics_internal.attributed_imports, analytics_internal.rule_revenue
-- description: One row per member of an email send (audience, campaign, normalised address): what they did with it and the revenue they brought in the 30 days after it.

with

changed_contacts as (
    -- Addresses whose memberships must be recomputed (every member on a full build): new, changed
    -- or deleted email events; customers whose row (address) changed; and customers whose revenue
    -- changed at a time t that falls in the 30 days after one of their sends. unnest(array(…)) so the
    -- plan expects a handful and looks them up by index.
    select contact from unnest(array(
        select lower(btrim(contact)) from raw.email_events
        where _load_id > clv_meta.since_load() and _load_id <= clv_meta.until_load()
        union
        select lower(btrim(contact)) from raw_history.email_events
        where _replaced_by > clv_meta.since_load() and _replaced_by <= clv_meta.until_load()
        union
        select lower(btrim(email)) from raw.customers
        where _load_id > clv_meta.since_load() and _load_id <= clv_meta.until_load()
        union
        select lower(btrim(email)) from raw_history.customers
        where _replaced_by > clv_meta.since_load() and _replaced_by <= clv_meta.until_load()
        union
        select lower(btrim(u.email))
        from (
            -- Revenue events added, changed or removed: conversions (old versions too), manual
            -- imports, and imports whose click a new conversion reached (it may now have postback revenue).
            select customer_id, occurred_at from analytics_internal.changed_conversions
            union all
            select customer_id, occurred_at from clv_changes.analytics_internal__rule_revenue
            where clv_meta.is_incremental() and _build_seq > clv_meta.since_build()
            union all
            select c.customer_id, i.revenue_date::timestamptz from raw.revenue_imports as i
            join raw.conversions as c on c.click_id = i.click_id
            where i._load_id > clv_meta.since_load() and i._load_id <= clv_meta.until_load()
            union all
            select c.customer_id, h.revenue_date::timestamptz from raw_history.revenue_imports as h
            join raw.conversions as c on c.click_id = h.click_id
            where h._replaced_by > clv_meta.since_load() and h._replaced_by <= clv_meta.until_load()
            union all
            select c.customer_id, i.revenue_date::timestamptz from raw.conversions as n
            join raw.revenue_imports as i on i.click_id = n.click_id
            join raw.conversions as c on c.click_id = i.click_id
            where n._load_id > clv_meta.since_load() and n._load_id <= clv_meta.until_load()
        ) as r
        join raw.customers as u on u.customer_id = r.customer_id
        where exists (
            select from raw.email_events as e
            where lower(btrim(e.contact)) = lower(btrim(u.email)) and e.type = 'sent'
                and r.occurred_at >= e.occurred_at and r.occurred_at < e.occurred_at + interval '30 days'
        )
    )) as changed (contact)
    where contact is not null
),

events as (
    -- Every event on a full build; the changed addresses' only (by index) on an incremental one.
    select audience, campaign_id, lower(btrim(contact)) as contact, type, occurred_at
    from raw.email_events
    where not clv_meta.is_incremental() and _load_id <= clv_meta.until_load()
    union all
    select e.audience, e.campaign_id, m.contact, e.type, e.occurred_at
    from changed_contacts as m
    join raw.email_events as e on lower(btrim(e.contact)) = m.contact
    where clv_meta.is_incremental() and e._load_id <= clv_meta.until_load()
),

per_member as (
    select
        audience,
        campaign_id,
        contact,
        min(occurred_at) filter (where type = 'sent') as sent_at,
        bool_or(type = 'open') as opened,
        bool_or(type = 'click') as clicked,
        bool_or(type = 'unsubscribe') as unsubscribed
    from events
    group by audience, campaign_id, contact
),

member_revenue as (
    -- Full build: every member joined with every revenue event at once.
    select p.audience, p.campaign_id, p.contact, sum(r.revenue) as revenue
    from per_member as p
    join raw.customers as c on lower(btrim(c.email)) = p.contact and c._load_id <= clv_meta.until_load()
    join analytics_internal.revenue_events as r
        on r.customer_id = c.customer_id
        and r.occurred_at >= p.sent_at
        and r.occurred_at < p.sent_at + interval '30 days'
    where not clv_meta.is_incremental() and p.sent_at is not null
    group by p.audience, p.campaign_id, p.contact
),

final as (
    select
        p.audience,                                                      /* Audience the send went to ('' when unknown) */
        p.campaign_id,                                                   /* Campaign */
        p.contact,                                                       /* Member: lower-cased, trimmed address */
        p.sent_at,                                                       /* When it was sent to them (NULL: no sent event) */
        p.opened,                                                        /* They opened it */
        p.clicked,                                                       /* They clicked */
        p.unsubscribed,                                                  /* They unsubscribed */
        coalesce(m.revenue, 0) as revenue_after_send,                    /* Their revenue in the 30 days after the send */
        false as _deleted
    from per_member as p
    left join member_revenue as m
        on m.audience = p.audience and m.campaign_id = p.campaign_id and m.contact = p.contact
    where not clv_meta.is_incremental()
    union all
    -- Incremental build: each changed member's customers and their revenue events, by index.
    select p.audience, p.campaign_id, p.contact, p.sent_at, p.opened, p.clicked, p.unsubscribed,
        coalesce(v.revenue, 0), false
    from per_member as p
    left join lateral (
        select sum(r.revenue) as revenue
        from raw.customers as c
        join analytics_internal.revenue_events as r
            on r.customer_id = c.customer_id
            and r.occurred_at >= p.sent_at
            and r.occurred_at < p.sent_at + interval '30 days'
        where lower(btrim(c.email)) = p.contact and c._load_id <= clv_meta.until_load()
    ) as v on true
    where clv_meta.is_incremental()
),

gone as (
    -- Memberships whose events were all deleted.
    select distinct h.audience, h.campaign_id, lower(btrim(h.contact)), null::timestamptz, null::boolean, null::boolean,
        null::boolean, null::numeric, true
    from raw_history.email_events as h
    where clv_meta.is_incremental()
        and h._replaced_by > clv_meta.since_load() and h._replaced_by <= clv_meta.until_load()
        and not exists (
            select from raw.email_events as e
            where lower(btrim(e.contact)) = lower(btrim(h.contact)) and e.audience = h.audience
                and e.campaign_id = h.campaign_id and e._load_id <= clv_meta.until_load()
        )
)

select * from final
union all
select * from gone

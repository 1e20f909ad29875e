-- name: analytics.audience_campaign_results
-- materialized: table
-- unique_key: audience, campaign_id
-- depends_on: raw.email_events, raw.customers, analytics_internal.revenue_events
-- description: Email engagement per audience and campaign, and the revenue its members brought in the 30 days after they were sent it.

with

events as (
    select
        audience,
        campaign_id,
        lower(btrim(contact)) as contact,
        type,
        occurred_at
    from raw.email_events
    where _load_id <= (select clv_meta.until_load())
),

per_contact as (
    -- One row per member of a send: what they did with it.
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
    select
        p.audience,
        p.campaign_id,
        p.contact,
        coalesce(sum(r.revenue), 0) as revenue
    from per_contact as p
    join raw.customers as c on lower(btrim(c.email)) = p.contact
    join analytics_internal.revenue_events as r
        on r.customer_id = c.customer_id
        and r.occurred_at >= p.sent_at
        and r.occurred_at < p.sent_at + interval '30 days'
    where p.sent_at is not null
    group by p.audience, p.campaign_id, p.contact
),

final as (
    select
        p.audience,                                                                  /* Audience the send went to ('' when unknown) */
        p.campaign_id,                                                               /* Campaign */
        count(*) filter (where p.sent_at is not null) as sent,                       /* Members sent the campaign */
        count(*) filter (where p.opened) as opened,                                  /* Members who opened it */
        count(*) filter (where p.clicked) as clicked,                                /* Members who clicked */
        count(*) filter (where p.unsubscribed) as unsubscribed,                      /* Members who unsubscribed */
        round(count(*) filter (where p.opened)::numeric
            / nullif(count(*) filter (where p.sent_at is not null), 0), 4) as open_rate,   /* opened / sent */
        round(count(*) filter (where p.clicked)::numeric
            / nullif(count(*) filter (where p.sent_at is not null), 0), 4) as click_rate,  /* clicked / sent */
        coalesce(sum(m.revenue), 0) as revenue_after_send                           /* Members' revenue in the 30 days after their send */
    from per_contact as p
    left join member_revenue as m
        on m.audience = p.audience and m.campaign_id = p.campaign_id and m.contact = p.contact
    group by p.audience, p.campaign_id
)

select * from final

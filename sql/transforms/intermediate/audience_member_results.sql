-- name: analytics_internal.audience_member_results
-- materialized: incremental
-- unique_key: contact, audience, campaign_id
-- depends_on: raw.email_events, raw.customers, analytics_internal.revenue_events, analytics.attributed_conversions, analytics_internal.attributed_imports, analytics_internal.rule_revenue
-- recompute: lower(btrim(contact)) as contact from raw.email_events, raw.customers(email), analytics.attributed_conversions(customer_id -> raw.customers.email), analytics_internal.attributed_imports(customer_id -> raw.customers.email), analytics_internal.rule_revenue(customer_id -> raw.customers.email)
-- description: One row per member of an email send (audience, campaign, normalised address): what they did with it and the revenue they brought in the 30 days after it.

-- Plain SQL over every event: the engine recomputes only the addresses whose email events or
-- customer row (address) changed, and those of customers whose revenue ledger changed (the three
-- kinds of revenue rows, old and new owners). Members are grouped by their address, so the
-- changed addresses reach the events and, through the customers' address index, their revenue.

with

per_member as (
    select
        audience,
        campaign_id,
        lower(btrim(contact)) as contact,
        min(occurred_at) filter (where type = 'sent') as sent_at,
        bool_or(type = 'open') as opened,
        bool_or(type = 'click') as clicked,
        bool_or(type = 'unsubscribe') as unsubscribed
    from raw.email_events
    where _load_id <= clv_meta.until_load()
    group by audience, campaign_id, lower(btrim(contact))
)

select
    p.audience,                                                          /* Audience the send went to ('' when unknown) */
    p.campaign_id,                                                       /* Campaign */
    p.contact,                                                           /* Member: lower-cased, trimmed address */
    p.sent_at,                                                           /* When it was sent to them (NULL: no sent event) */
    p.opened,                                                            /* They opened it */
    p.clicked,                                                           /* They clicked */
    p.unsubscribed,                                                      /* They unsubscribed */
    coalesce(sum(r.revenue), 0) as revenue_after_send                    /* Their revenue in the 30 days after the send */
from per_member as p
left join raw.customers as c on lower(btrim(c.email)) = p.contact and c._load_id <= clv_meta.until_load()
left join analytics_internal.revenue_events as r
    on r.customer_id = c.customer_id
    and r.occurred_at >= p.sent_at
    and r.occurred_at < p.sent_at + interval '30 days'
group by p.audience, p.campaign_id, p.contact, p.sent_at, p.opened, p.clicked, p.unsubscribed

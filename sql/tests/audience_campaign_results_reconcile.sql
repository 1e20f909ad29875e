-- description: Per audience and campaign, the members (lower-cased, trimmed addresses) sent, opening, clicking and unsubscribing, the rates, and the ledger revenue of the customers with a sent member's address in the 30 days after its first send, counted again from the raw email events, customer records and the revenue ledger.
with events as (
    select audience, campaign_id, lower(btrim(contact)) as contact, type, occurred_at
    from raw.email_events
    where _load_id <= clv_meta.until_load()
),
counts as (
    select audience, campaign_id,
        count(distinct contact) filter (where type = 'sent') as sent,
        count(distinct contact) filter (where type = 'open') as opened,
        count(distinct contact) filter (where type = 'click') as clicked,
        count(distinct contact) filter (where type = 'unsubscribe') as unsubscribed
    from events
    group by audience, campaign_id
),
first_sends as (
    select audience, campaign_id, contact, min(occurred_at) as sent_at
    from events where type = 'sent'
    group by audience, campaign_id, contact
),
revenue as (
    select s.audience, s.campaign_id, sum(e.revenue) as revenue
    from first_sends as s
    join raw.customers as u on lower(btrim(u.email)) = s.contact and u._load_id <= clv_meta.until_load()
    join analytics_internal.revenue_events as e on e.customer_id = u.customer_id
        and e.occurred_at >= s.sent_at and e.occurred_at < s.sent_at + interval '30 days'
    group by s.audience, s.campaign_id
),
expected as (
    select c.audience, c.campaign_id, c.sent, c.opened, c.clicked, c.unsubscribed,
        round(c.opened::numeric / nullif(c.sent, 0), 4) as open_rate,
        round(c.clicked::numeric / nullif(c.sent, 0), 4) as click_rate,
        coalesce(r.revenue, 0) as revenue_after_send
    from counts as c
    left join revenue as r on r.audience = c.audience and r.campaign_id = c.campaign_id
)
select coalesce(e.audience, a.audience) as audience, coalesce(e.campaign_id, a.campaign_id) as campaign_id,
    v.column_name, v.expected, v.found
from expected as e
full join analytics.audience_campaign_results as a on a.audience = e.audience and a.campaign_id = e.campaign_id
cross join lateral (values
    ('sent', e.sent is distinct from a.sent, e.sent::text, a.sent::text),
    ('opened', e.opened is distinct from a.opened, e.opened::text, a.opened::text),
    ('clicked', e.clicked is distinct from a.clicked, e.clicked::text, a.clicked::text),
    ('unsubscribed', e.unsubscribed is distinct from a.unsubscribed, e.unsubscribed::text, a.unsubscribed::text),
    ('open_rate', e.open_rate is distinct from a.open_rate, e.open_rate::text, a.open_rate::text),
    ('click_rate', e.click_rate is distinct from a.click_rate, e.click_rate::text, a.click_rate::text),
    ('revenue_after_send', e.revenue_after_send is distinct from a.revenue_after_send, e.revenue_after_send::text,
        a.revenue_after_send::text)
) as v (column_name, differs, expected, found)
where v.differs

-- name: analytics.audience_campaign_results
-- materialized: view
-- unique_key: audience, campaign_id
-- depends_on: analytics_internal.audience_member_results
-- description: Email engagement per audience and campaign, joined back from the email events (`sent`, `open`, `click`, `unsubscribe`, with the audience they came from), and the revenue its members brought in the 30 days after they were sent it. Counts are of members (lower-cased, trimmed addresses), not events. More in docs/config.md, Post-campaign loop.
-- column audience: the audience the send went to ('' when unknown)
-- column campaign_id: campaign
-- column sent: members sent the campaign
-- column opened: members who opened it
-- column clicked: members who clicked
-- column unsubscribed: members who unsubscribed
-- column open_rate: opened / sent, 4 decimals (NULL when nothing was sent)
-- column click_rate: clicked / sent, 4 decimals (NULL when nothing was sent)
-- column revenue_after_send: the members' ledger revenue in the 30 days after their send, matched by normalised email

select
    audience,
    campaign_id,
    count(*) filter (where sent_at is not null) as sent,
    count(*) filter (where opened) as opened,
    count(*) filter (where clicked) as clicked,
    count(*) filter (where unsubscribed) as unsubscribed,
    round(count(*) filter (where opened)::numeric
        / nullif(count(*) filter (where sent_at is not null), 0), 4) as open_rate,
    round(count(*) filter (where clicked)::numeric
        / nullif(count(*) filter (where sent_at is not null), 0), 4) as click_rate,
    sum(revenue_after_send) as revenue_after_send
from analytics_internal.audience_member_results
group by audience, campaign_id

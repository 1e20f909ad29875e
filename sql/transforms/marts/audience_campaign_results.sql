-- name: analytics.audience_campaign_results
-- materialized: view
-- depends_on: analytics_internal.audience_member_results
-- description: Email engagement per audience and campaign, and the revenue its members brought in the 30 days after they were sent it.

select
    audience,                                                            /* Audience the send went to ('' when unknown) */
    campaign_id,                                                         /* Campaign */
    count(*) filter (where sent_at is not null) as sent,                 /* Members sent the campaign */
    count(*) filter (where opened) as opened,                            /* Members who opened it */
    count(*) filter (where clicked) as clicked,                          /* Members who clicked */
    count(*) filter (where unsubscribed) as unsubscribed,                /* Members who unsubscribed */
    round(count(*) filter (where opened)::numeric
        / nullif(count(*) filter (where sent_at is not null), 0), 4) as open_rate,   /* opened / sent */
    round(count(*) filter (where clicked)::numeric
        / nullif(count(*) filter (where sent_at is not null), 0), 4) as click_rate,  /* clicked / sent */
    sum(revenue_after_send) as revenue_after_send                        /* Members' revenue in the 30 days after their send */
from analytics_internal.audience_member_results
group by audience, campaign_id

-- name: analytics.performance
-- materialized: table
-- unique_key: dimension, key
-- depends_on: analytics.attributed_conversions, raw.message_sends, raw.clicks
-- description: Sends, clicks, attributed conversions, revenue, cost and the ratios per message, creative, campaign, sending list, offer and partner.

with

sends as (
    select message_id, creative_id, campaign_id, list_id, cost from raw.message_sends
    where _load_id <= (select clv_meta.until_load())
),

clicks as (
    select k.click_id, k.message_id, k.offer_id, k.partner_id, s.creative_id, s.campaign_id, s.list_id
    from raw.clicks as k
    left join sends as s on s.message_id = k.message_id
    where k._load_id <= (select clv_meta.until_load())
),

conversions as (
    select * from analytics.attributed_conversions where is_attributed
),

send_facts as (
    select d.dimension, d.key, count(*) as sends, sum(s.cost) as send_cost
    from sends as s
    cross join lateral (values
        ('message', s.message_id), ('creative', s.creative_id), ('campaign', s.campaign_id), ('list', s.list_id)
    ) as d (dimension, key)
    where d.key is not null
    group by d.dimension, d.key
),

click_facts as (
    select d.dimension, d.key, count(*) as clicks
    from clicks as k
    cross join lateral (values
        ('message', k.message_id), ('creative', k.creative_id), ('campaign', k.campaign_id), ('list', k.list_id),
        ('offer', k.offer_id), ('partner', k.partner_id)
    ) as d (dimension, key)
    where d.key is not null
    group by d.dimension, d.key
),

conversion_facts as (
    select d.dimension, d.key, count(*) as conversions, sum(c.revenue) as revenue, sum(c.payout) as payout
    from conversions as c
    cross join lateral (values
        ('message', c.message_id), ('creative', c.creative_id), ('campaign', c.campaign_id), ('list', c.list_id),
        ('offer', c.offer_id), ('partner', c.partner_id)
    ) as d (dimension, key)
    where d.key is not null
    group by d.dimension, d.key
),

totals as (
    select
        coalesce(s.dimension, k.dimension, c.dimension) as dimension,
        coalesce(s.key, k.key, c.key) as key,
        coalesce(s.sends, 0) as sends,
        coalesce(k.clicks, 0) as clicks,
        coalesce(c.conversions, 0) as conversions,
        coalesce(c.revenue, 0) as revenue,
        coalesce(s.send_cost, 0) + coalesce(c.payout, 0) as cost
    from send_facts as s
    full join click_facts as k on k.dimension = s.dimension and k.key = s.key
    full join conversion_facts as c
        on c.dimension = coalesce(s.dimension, k.dimension) and c.key = coalesce(s.key, k.key)
),

final as (
    select
        dimension,                                                       /* message, creative, campaign, list, offer or partner */
        key,                                                             /* The message_id, creative_id, … */
        sends,                                                           /* Messages sent (0 for offers and partners) */
        clicks,                                                          /* Clicks */
        conversions,                                                     /* Attributed conversions */
        revenue,                                                         /* Revenue of attributed conversions */
        cost,                                                            /* Send cost + payouts of attributed conversions */
        revenue / nullif(sends, 0) as revenue_per_send,                  /* revenue / sends */
        revenue / nullif(clicks, 0) as epc,                              /* Earnings per click: revenue / clicks */
        conversions::numeric / nullif(clicks, 0) as conversion_rate,     /* conversions / clicks */
        (revenue - cost) / nullif(cost, 0) as roi,                       /* (revenue − cost) / cost */
        revenue / nullif(cost, 0) as roas                                /* revenue / cost */
    from totals
)

select * from final

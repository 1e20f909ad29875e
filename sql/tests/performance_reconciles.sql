-- description: Per dimension, performance adds up to the revenue ledger's attributed rows and the sends: revenue and orders of attributed conversions, counted imports and rule revenue, messaging cost, clicks; converting clicks never exceed clicks.
with ledger as (
    select d.dimension, sum(x.revenue) as revenue, count(*) filter (where x.is_purchase) as orders
    from (
        select offer_id, partner_id, message_id, creative_id, campaign_id, list_id, revenue, is_purchase
        from analytics.attributed_conversions where is_attributed
        union all
        select offer_id, partner_id, message_id, creative_id, campaign_id, list_id, revenue, is_purchase
        from analytics_internal.attributed_imports
        union all
        select a.offer_id, a.partner_id, a.message_id, a.creative_id, a.campaign_id, a.list_id, r.revenue_adjustment, false
        from analytics_internal.rule_revenue as r
        join analytics.attributed_conversions as a on a.conversion_id = r.conversion_id
        where a.is_attributed
    ) as x
    cross join lateral (values
        ('message', x.message_id), ('creative', x.creative_id), ('campaign', x.campaign_id), ('list', x.list_id),
        ('offer', x.offer_id), ('partner', x.partner_id)
    ) as d (dimension, key)
    where d.key is not null
    group by d.dimension
),
reported as (
    select dimension, sum(revenue) as revenue, sum(orders) as orders from analytics.performance group by dimension
)
select 'revenue or orders differ from the ledger' as problem, l.dimension as detail
from ledger as l left join reported as r on r.dimension = l.dimension
where (l.revenue, l.orders) is distinct from (r.revenue, r.orders)
union all
select 'messaging cost differs from the sends', null
from (
    select sum(coalesce(cost, segments_used * cost_per_segment, 0)) as cost from raw.message_sends
    where campaign_id is not null and _load_id <= clv_meta.until_load()
) as s
where s.cost <> coalesce((select sum(messaging_cost) from analytics.performance where dimension = 'campaign'), 0)
union all
select 'conversion rate above 1', dimension || ' ' || key from analytics.performance where conversion_rate > 1

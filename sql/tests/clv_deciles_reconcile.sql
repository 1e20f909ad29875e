-- description: Every customer's row of clv_deciles, computed again from the revenue ledger and the customer records at the rankings' reference time: CLV (all the customer's revenue), revenue per window (as_of − N days, as_of] (NULL without an event there) and its decile ceil(10 × cume_dist()) among the customers with an event there, and the 365-day decile within source and within partner.
with built as (
    select as_of from analytics.build_info where relation = 'analytics_internal.decile_population'
),
customers as (
    select e.customer_id,
        sum(e.revenue) as clv,
        sum(e.revenue) filter (where e.occurred_at <= b.as_of and e.occurred_at > b.as_of - 30 * interval '24 hours')
            as revenue_30d,
        sum(e.revenue) filter (where e.occurred_at <= b.as_of and e.occurred_at > b.as_of - 90 * interval '24 hours')
            as revenue_90d,
        sum(e.revenue) filter (where e.occurred_at <= b.as_of and e.occurred_at > b.as_of - 180 * interval '24 hours')
            as revenue_180d,
        sum(e.revenue) filter (where e.occurred_at <= b.as_of and e.occurred_at > b.as_of - 365 * interval '24 hours')
            as revenue_365d,
        sum(e.revenue) filter (where e.occurred_at <= b.as_of) as revenue_lifetime
    from analytics_internal.revenue_events as e
    cross join built as b
    where e.customer_id is not null
    group by e.customer_id
),
ranked as (
    -- Each decile among the customers with revenue in the window (NULLs are ranked apart and dropped).
    select c.*,
        coalesce(u.source, 'other') as source,
        u.partner_id,
        case when revenue_30d is not null then
            ceil(10 * cume_dist() over (partition by revenue_30d is null order by revenue_30d))::integer end
            as decile_30d,
        case when revenue_90d is not null then
            ceil(10 * cume_dist() over (partition by revenue_90d is null order by revenue_90d))::integer end
            as decile_90d,
        case when revenue_180d is not null then
            ceil(10 * cume_dist() over (partition by revenue_180d is null order by revenue_180d))::integer end
            as decile_180d,
        case when revenue_365d is not null then
            ceil(10 * cume_dist() over (partition by revenue_365d is null order by revenue_365d))::integer end
            as decile_365d,
        case when revenue_lifetime is not null then
            ceil(10 * cume_dist() over (partition by revenue_lifetime is null order by revenue_lifetime))::integer end
            as decile_lifetime,
        case when revenue_365d is not null then
            ceil(10 * cume_dist() over (
                partition by revenue_365d is null, coalesce(u.source, 'other') order by revenue_365d))::integer end
            as decile_in_source,
        case when revenue_365d is not null and u.partner_id is not null then
            ceil(10 * cume_dist() over (partition by revenue_365d is null, u.partner_id order by revenue_365d))::integer end
            as decile_in_partner
    from customers as c
    left join raw.customers as u on u.customer_id = c.customer_id and u._load_id <= clv_meta.until_load()
),
expected as (
    select * from ranked where revenue_lifetime is not null
)
select coalesce(e.customer_id, d.customer_id) as customer_id, v.column_name, v.expected, v.found
from expected as e
full join analytics.clv_deciles as d on d.customer_id = e.customer_id
cross join lateral (values
    ('customer_id', e.customer_id is distinct from d.customer_id, e.customer_id, d.customer_id),
    ('clv', e.clv is distinct from d.clv, e.clv::text, d.clv::text),
    ('decile', e.decile_365d is distinct from d.decile, e.decile_365d::text, d.decile::text),
    ('revenue_30d', e.revenue_30d is distinct from d.revenue_30d, e.revenue_30d::text, d.revenue_30d::text),
    ('decile_30d', e.decile_30d is distinct from d.decile_30d, e.decile_30d::text, d.decile_30d::text),
    ('revenue_90d', e.revenue_90d is distinct from d.revenue_90d, e.revenue_90d::text, d.revenue_90d::text),
    ('decile_90d', e.decile_90d is distinct from d.decile_90d, e.decile_90d::text, d.decile_90d::text),
    ('revenue_180d', e.revenue_180d is distinct from d.revenue_180d, e.revenue_180d::text, d.revenue_180d::text),
    ('decile_180d', e.decile_180d is distinct from d.decile_180d, e.decile_180d::text, d.decile_180d::text),
    ('revenue_365d', e.revenue_365d is distinct from d.revenue_365d, e.revenue_365d::text, d.revenue_365d::text),
    ('decile_365d', e.decile_365d is distinct from d.decile_365d, e.decile_365d::text, d.decile_365d::text),
    ('revenue_lifetime', e.revenue_lifetime is distinct from d.revenue_lifetime, e.revenue_lifetime::text,
        d.revenue_lifetime::text),
    ('decile_lifetime', e.decile_lifetime is distinct from d.decile_lifetime, e.decile_lifetime::text,
        d.decile_lifetime::text),
    ('decile_in_source', e.decile_in_source is distinct from d.decile_in_source, e.decile_in_source::text,
        d.decile_in_source::text),
    ('decile_in_partner', e.decile_in_partner is distinct from d.decile_in_partner, e.decile_in_partner::text,
        d.decile_in_partner::text)
) as v (column_name, differs, expected, found)
where v.differs

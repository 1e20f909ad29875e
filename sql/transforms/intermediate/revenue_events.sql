-- name: analytics_internal.revenue_events
-- materialized: view
-- depends_on: raw.conversions, raw.revenue_imports
-- description: Every revenue fact once: postback conversions, plus manual imports only for clicks no postback delivered revenue for.

-- One plain union all (no CTEs), so a query for a few customers pushes customer_id down to the
-- conversions index instead of reading every conversion.

select
    conversion_id as revenue_id,
    customer_id,
    click_id,
    occurred_at,
    revenue,
    'postback'::text as origin,
    _load_id
from raw.conversions
union all
-- A manually imported click belongs to the customer of its first conversion; it counts only when
-- no postback delivered revenue for that click.
select
    'import:' || i.click_id || ':' || i.revenue_date as revenue_id,
    cc.customer_id,
    i.click_id,
    i.revenue_date::timestamptz as occurred_at,
    i.amount as revenue,
    'manual_import'::text as origin,
    i._load_id
from raw.revenue_imports as i
left join lateral (
    select c.customer_id from raw.conversions as c
    where c.click_id = i.click_id and c.customer_id is not null
    order by c.occurred_at, c.conversion_id
    limit 1
) as cc on true
where not exists (select from raw.conversions as p where p.click_id = i.click_id and p.revenue <> 0)

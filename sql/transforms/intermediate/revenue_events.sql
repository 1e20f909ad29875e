-- name: analytics_internal.revenue_events
-- materialized: view
-- depends_on: raw.conversions, raw.revenue_imports
-- description: Every revenue fact once: postback conversions, plus manual imports only for clicks no postback delivered revenue for.

with

postback_revenue_clicks as (
    select distinct click_id from raw.conversions where click_id is not null and revenue <> 0
),

click_customers as (
    -- The customer a manually imported click belongs to, from any conversion on that click.
    select distinct on (click_id) click_id, customer_id
    from raw.conversions
    where click_id is not null and customer_id is not null
    order by click_id, occurred_at
),

postbacks as (
    select
        conversion_id as revenue_id,
        customer_id,
        click_id,
        occurred_at,
        revenue,
        'postback' as origin,
        _load_id
    from raw.conversions
),

imports as (
    select
        'import:' || i.click_id || ':' || i.revenue_date as revenue_id,
        cc.customer_id,
        i.click_id,
        i.revenue_date::timestamptz as occurred_at,
        i.amount as revenue,
        'manual_import' as origin,
        i._load_id
    from raw.revenue_imports as i
    left join click_customers as cc on cc.click_id = i.click_id
    where i.click_id not in (select click_id from postback_revenue_clicks)
),

final as (
    select * from postbacks
    union all
    select * from imports
)

select * from final

-- audits: analytics.attributed_conversions
-- description: Every conversion appears once in attribution, and attributed ones have a click inside the window.
select 'missing' as problem, c.conversion_id from raw.conversions as c
where c._load_id <= clv_meta.until_load()
    and not exists (select 1 from analytics.attributed_conversions as a where a.conversion_id = c.conversion_id)
union all
select 'attributed outside the window', conversion_id from analytics.attributed_conversions
where is_attributed and not (occurred_at >= clicked_at and occurred_at < clicked_at + coalesce(attribution_window, interval '30 days'))

-- name: analytics_internal.changed_clicks
-- materialized: view
-- depends_on: raw.clicks
-- description: Clicks loaded, corrected or deleted in (since_load, until_load] of the transform reading it, with their contact (the replaced version's too).

select click_id, contact from raw.clicks
where _load_id > clv_meta.since_load() and _load_id <= clv_meta.until_load()
union
select click_id, contact from raw_history.clicks
where _replaced_by > clv_meta.since_load() and _replaced_by <= clv_meta.until_load()

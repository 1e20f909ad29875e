-- name: analytics_internal.changed_conversions
-- materialized: view
-- depends_on: raw.conversions
-- description: Conversions loaded, corrected or deleted in (since_load, until_load] of the transform reading it, with their customer, time and click (the replaced version's too).

select conversion_id, customer_id, occurred_at, click_id from raw.conversions
where _load_id > clv_meta.since_load() and _load_id <= clv_meta.until_load()
union
select conversion_id, customer_id, occurred_at, click_id from raw_history.conversions
where _replaced_by > clv_meta.since_load() and _replaced_by <= clv_meta.until_load()

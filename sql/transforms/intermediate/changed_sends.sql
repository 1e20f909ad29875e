-- name: analytics_internal.changed_sends
-- materialized: view
-- depends_on: raw.message_sends
-- description: Message sends loaded, corrected or deleted in (since_load, until_load] of the transform reading it, with their contact (the replaced version's too).

select message_id, contact from raw.message_sends
where _load_id > clv_meta.since_load() and _load_id <= clv_meta.until_load()
union
select message_id, contact from raw_history.message_sends
where _replaced_by > clv_meta.since_load() and _replaced_by <= clv_meta.until_load()

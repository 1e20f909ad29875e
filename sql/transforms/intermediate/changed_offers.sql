-- name: analytics_internal.changed_offers
-- materialized: view
-- depends_on: raw.offers
-- description: Offers loaded, corrected or deleted in (since_load, until_load] of the transform reading it.

select offer_id from raw.offers
where _load_id > clv_meta.since_load() and _load_id <= clv_meta.until_load()
union
select offer_id from raw_history.offers
where _replaced_by > clv_meta.since_load() and _replaced_by <= clv_meta.until_load()

-- name: analytics_internal.changed_customers
-- materialized: view
-- depends_on: raw.conversions, raw.customers
-- description: Customers touched by loads in (since_load, until_load] of the transform reading it (every customer on a full build).

select customer_id from raw.conversions
where _load_id > (select clv_meta.since_load()) and _load_id <= (select clv_meta.until_load()) and customer_id is not null
union
select customer_id from raw.customers
where _load_id > (select clv_meta.since_load()) and _load_id <= (select clv_meta.until_load())

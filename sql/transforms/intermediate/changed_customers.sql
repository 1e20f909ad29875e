-- name: analytics_internal.changed_customers
-- materialized: view
-- depends_on: raw.customers, analytics_internal.changed_conversions
-- description: Customers touched by loads in (since_load, until_load] of the transform reading it (every customer on a full build): new or corrected conversions and customer rows, and the customers a corrected or deleted conversion used to belong to.

-- Returned through unnest(array(…)), so readers' plans expect a handful of customers and look
-- their facts up by index (the union alone is estimated from whole-table statistics).
select customer_id from unnest(array(
    select customer_id from analytics_internal.changed_conversions where customer_id is not null
    union
    select customer_id from raw.customers
    where _load_id > clv_meta.since_load() and _load_id <= clv_meta.until_load()
    union
    select customer_id from raw_history.customers
    where _replaced_by > clv_meta.since_load() and _replaced_by <= clv_meta.until_load()
)) as changed (customer_id)

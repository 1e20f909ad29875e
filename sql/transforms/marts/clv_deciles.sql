-- name: analytics.clv_deciles
-- materialized: table
-- unique_key: customer_id
-- depends_on: raw.conversions
-- description: CLV earned in the lookback window before the reference time, cut into deciles (10 = highest, ties by customer_id).

with

settings as (
    -- The lookback window: change it here (the file's new version rebuilds the relation).
    select 365 as lookback_days
),

recent as (
    select customer_id, revenue
    from raw.conversions
    where customer_id is not null
        and _load_id <= (select clv_meta.until_load())
        and occurred_at > (select clv_meta.as_of()) - (select lookback_days from settings) * interval '1 day'
        and occurred_at <= (select clv_meta.as_of())
),

final as (
    select
        customer_id,                                                     /* Customer id */
        sum(revenue) as clv,                                             /* Revenue in the lookback window */
        ntile(10) over (order by sum(revenue), customer_id) as decile,   /* 1 = lowest tenth, 10 = highest */
        (select lookback_days from settings) as lookback_days            /* Lookback window length in days */
    from recent
    group by customer_id
)

select * from final

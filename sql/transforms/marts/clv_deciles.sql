-- name: analytics.clv_deciles
-- materialized: view
-- unique_key: customer_id
-- depends_on: analytics_internal.customer_facts, analytics_internal.clv_decile_bounds
-- description: CLV earned in the lookback window before the reference time, cut into deciles (10 = highest, ties by customer_id).

with

bounds as (
    -- The deciles' first customers as one row, so each customer is placed by a few comparisons.
    select
        max(first_clv) filter (where decile = 2) as clv_2, max(first_customer_id) filter (where decile = 2) as id_2,
        max(first_clv) filter (where decile = 3) as clv_3, max(first_customer_id) filter (where decile = 3) as id_3,
        max(first_clv) filter (where decile = 4) as clv_4, max(first_customer_id) filter (where decile = 4) as id_4,
        max(first_clv) filter (where decile = 5) as clv_5, max(first_customer_id) filter (where decile = 5) as id_5,
        max(first_clv) filter (where decile = 6) as clv_6, max(first_customer_id) filter (where decile = 6) as id_6,
        max(first_clv) filter (where decile = 7) as clv_7, max(first_customer_id) filter (where decile = 7) as id_7,
        max(first_clv) filter (where decile = 8) as clv_8, max(first_customer_id) filter (where decile = 8) as id_8,
        max(first_clv) filter (where decile = 9) as clv_9, max(first_customer_id) filter (where decile = 9) as id_9,
        max(first_clv) filter (where decile = 10) as clv_10, max(first_customer_id) filter (where decile = 10) as id_10
    from analytics_internal.clv_decile_bounds
)

select
    v.customer_id,                                                       /* Customer id */
    v.recent_clv as clv,                                                 /* Revenue in the lookback window (365 days up to the reference time) */
    case                                                                 /* ntile(10) over (clv, customer_id): 1 = lowest tenth, 10 = highest */
        when (v.recent_clv, v.customer_id) >= (b.clv_10, b.id_10) then 10
        when (v.recent_clv, v.customer_id) >= (b.clv_9, b.id_9) then 9
        when (v.recent_clv, v.customer_id) >= (b.clv_8, b.id_8) then 8
        when (v.recent_clv, v.customer_id) >= (b.clv_7, b.id_7) then 7
        when (v.recent_clv, v.customer_id) >= (b.clv_6, b.id_6) then 6
        when (v.recent_clv, v.customer_id) >= (b.clv_5, b.id_5) then 5
        when (v.recent_clv, v.customer_id) >= (b.clv_4, b.id_4) then 4
        when (v.recent_clv, v.customer_id) >= (b.clv_3, b.id_3) then 3
        when (v.recent_clv, v.customer_id) >= (b.clv_2, b.id_2) then 2
        else 1
    end as decile,
    v.lookback_days                                                      /* Lookback window length in days */
from analytics_internal.customer_facts as v
cross join bounds as b
where v.recent_clv is not null

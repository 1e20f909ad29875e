-- name: analytics.clv_deciles
-- materialized: view
-- depends_on: analytics_internal.customer_facts, analytics_internal.clv_decile_bounds
-- description: CLV earned in the lookback window before the reference time, cut into deciles (10 = highest, ties by customer_id).

select
    v.customer_id,                                                       /* Customer id */
    v.recent_clv as clv,                                                 /* Revenue in the lookback window (365 days up to the reference time) */
    d.decile,                                                            /* ntile(10) over (clv, customer_id): 1 = lowest tenth, 10 = highest */
    v.lookback_days                                                      /* Lookback window length in days */
from analytics_internal.customer_facts as v
cross join lateral (
    select b.decile from analytics_internal.clv_decile_bounds as b
    where (b.first_clv, b.first_customer_id) <= (v.recent_clv, v.customer_id)
    order by b.decile desc
    limit 1
) as d
where v.recent_clv is not null

-- description: Week and month cohorts hold the same customers and revenue, and no cohort's 90-day revenue exceeds its customers' lifetime revenue from their cohort start.
with grains as (
    select cohort_grain, sum(customers) as customers, sum(revenue_7d) as r7, sum(revenue_30d) as r30, sum(revenue_90d) as r90
    from analytics.cohort_revenue group by cohort_grain
)
select 'week and month cohorts differ' as problem, w.customers::text || ' vs ' || m.customers::text as detail
from grains as w, grains as m
where w.cohort_grain = 'week' and m.cohort_grain = 'month' and (w.customers, w.r7, w.r30, w.r90) <> (m.customers, m.r7, m.r30, m.r90)
union all
select 'cohort customers differ from customer value', null
from grains as g
where g.cohort_grain = 'month' and g.customers <> (select count(*) from analytics.customer_value)

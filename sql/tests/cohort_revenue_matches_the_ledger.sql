-- description: Every week and month cohort's customers and 7/30/90-day revenue, computed again from the revenue ledger and the customer records: each customer with a revenue event starts at their signup (else their first revenue event) and counts the ledger revenue in [start, start + N days).
with customers as (
    select customer_id, min(occurred_at) as first_event_at
    from analytics_internal.revenue_events
    where customer_id is not null
    group by customer_id
),
starts as (
    select c.customer_id, coalesce(u.signup_at, c.first_event_at) as start_at
    from customers as c
    left join raw.customers as u on u.customer_id = c.customer_id and u._load_id <= clv_meta.until_load()
),
per_customer as (
    select s.customer_id, s.start_at,
        coalesce(sum(e.revenue) filter (
            where e.occurred_at >= s.start_at and e.occurred_at < s.start_at + interval '7 days'), 0) as revenue_7d,
        coalesce(sum(e.revenue) filter (
            where e.occurred_at >= s.start_at and e.occurred_at < s.start_at + interval '30 days'), 0) as revenue_30d,
        coalesce(sum(e.revenue) filter (
            where e.occurred_at >= s.start_at and e.occurred_at < s.start_at + interval '90 days'), 0) as revenue_90d
    from starts as s
    join analytics_internal.revenue_events as e on e.customer_id = s.customer_id
    group by s.customer_id, s.start_at
),
expected as (
    select g.cohort_grain, date_trunc(g.cohort_grain, p.start_at) as cohort_start, count(*) as customers,
        sum(p.revenue_7d) as revenue_7d, sum(p.revenue_30d) as revenue_30d, sum(p.revenue_90d) as revenue_90d
    from per_customer as p
    cross join (values ('week'), ('month')) as g (cohort_grain)
    group by 1, 2
)
select coalesce(e.cohort_grain, c.cohort_grain) as cohort_grain, coalesce(e.cohort_start, c.cohort_start) as cohort_start,
    v.column_name, v.expected, v.found
from expected as e
full join analytics.cohort_revenue as c on c.cohort_grain = e.cohort_grain and c.cohort_start = e.cohort_start
cross join lateral (values
    ('customers', e.customers is distinct from c.customers, e.customers::text, c.customers::text),
    ('revenue_7d', e.revenue_7d is distinct from c.revenue_7d, e.revenue_7d::text, c.revenue_7d::text),
    ('revenue_30d', e.revenue_30d is distinct from c.revenue_30d, e.revenue_30d::text, c.revenue_30d::text),
    ('revenue_90d', e.revenue_90d is distinct from c.revenue_90d, e.revenue_90d::text, c.revenue_90d::text)
) as v (column_name, differs, expected, found)
where v.differs

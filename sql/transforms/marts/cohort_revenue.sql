-- name: analytics.cohort_revenue
-- materialized: view
-- unique_key: cohort_grain, cohort_start
-- depends_on: analytics_internal.customer_cohort_revenue
-- description: Signup cohorts by week and by month: customers and cumulative 7/30/90-day ledger revenue, with whether each window has fully elapsed. Completeness is judged when you read the view, at clv_meta.as_of() (now, or the run's --as-of).
-- column cohort_grain: `week` (Monday-based, UTC) or `month`
-- column cohort_start: first instant of the cohort
-- column customers: customers with a revenue event whose signup_at (else first revenue event) falls in it
-- column revenue_7d: their ledger revenue in the 7 days from signup_at (else the first revenue event): start <= occurred_at < start + 7 days
-- column revenue_30d: the same over 30 days (cumulative: includes revenue_7d)
-- column revenue_90d: the same over 90 days
-- column complete_7d: whether 7 days have elapsed for the cohort's last possible member (cohort end + 7 days <= as_of); false means revenue_7d is still partial
-- column complete_30d: the same for 30 days
-- column complete_90d: the same for 90 days

with

grains as (
    select unnest(array['week', 'month']) as cohort_grain
),

cohorts as (
    select
        g.cohort_grain,
        date_trunc(g.cohort_grain, c.cohort_at) as cohort_start,
        c.revenue_7d,
        c.revenue_30d,
        c.revenue_90d
    from analytics_internal.customer_cohort_revenue as c
    cross join grains as g
),

final as (
    select
        cohort_grain,
        cohort_start,
        count(*) as customers,
        sum(revenue_7d) as revenue_7d,
        sum(revenue_30d) as revenue_30d,
        sum(revenue_90d) as revenue_90d,
        (cohort_start + ('1 ' || cohort_grain)::interval + interval '7 days' <= clv_meta.as_of()) as complete_7d,
        (cohort_start + ('1 ' || cohort_grain)::interval + interval '30 days' <= clv_meta.as_of()) as complete_30d,
        (cohort_start + ('1 ' || cohort_grain)::interval + interval '90 days' <= clv_meta.as_of()) as complete_90d
    from cohorts
    group by cohort_grain, cohort_start
)

select * from final

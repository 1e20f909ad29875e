-- name: analytics.cohort_revenue
-- materialized: view
-- depends_on: analytics_internal.customer_cohort_revenue
-- description: Signup cohorts by week and by month: customers and cumulative 7/30/90-day revenue, with whether each window has fully elapsed.

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
        cohort_grain,                                                    /* week or month (weeks start on Monday, UTC) */
        cohort_start,                                                    /* First instant of the cohort */
        count(*) as customers,                                           /* Customers whose signup (else first conversion) falls in it */
        sum(revenue_7d) as revenue_7d,                                   /* Revenue with signup_at <= occurred_at < signup_at + 7 days */
        sum(revenue_30d) as revenue_30d,                                 /* … + 30 days */
        sum(revenue_90d) as revenue_90d,                                 /* … + 90 days */
        (cohort_start + ('1 ' || cohort_grain)::interval + interval '7 days' <= clv_meta.as_of()) as complete_7d,   /* False while the last member's 7 days have not all elapsed */
        (cohort_start + ('1 ' || cohort_grain)::interval + interval '30 days' <= clv_meta.as_of()) as complete_30d, /* Same for 30 days */
        (cohort_start + ('1 ' || cohort_grain)::interval + interval '90 days' <= clv_meta.as_of()) as complete_90d  /* Same for 90 days */
    from cohorts
    group by cohort_grain, cohort_start
)

select * from final

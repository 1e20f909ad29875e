-- name: analytics_internal.customer_cohort_revenue
-- materialized: incremental
-- unique_key: customer_id
-- depends_on: raw.conversions, raw.customers, analytics_internal.changed_customers
-- description: Per customer: cohort instant (signup_at, else first conversion) and cumulative revenue in the first 7, 30 and 90 days.

with

conversions as (
    -- Every conversion on a full build; the changed customers' only (by index) on an incremental one.
    select customer_id, occurred_at, revenue
    from raw.conversions
    where not clv_meta.is_incremental() and customer_id is not null and _load_id <= (select clv_meta.until_load())
    union all
    select c.customer_id, c.occurred_at, c.revenue
    from analytics_internal.changed_customers as k
    join raw.conversions as c on c.customer_id = k.customer_id
    where clv_meta.is_incremental() and c._load_id <= (select clv_meta.until_load())
),

first_conversions as (
    select customer_id, min(occurred_at) as first_conversion_at from conversions group by customer_id
),

anchored as (
    select f.customer_id, coalesce(c.signup_at, f.first_conversion_at) as cohort_at
    from first_conversions as f
    left join raw.customers as c on c.customer_id = f.customer_id and c._load_id <= (select clv_meta.until_load())
),

final as (
    select
        a.customer_id,
        a.cohort_at,
        coalesce(sum(v.revenue) filter (where v.occurred_at >= a.cohort_at and v.occurred_at < a.cohort_at + interval '7 days'), 0) as revenue_7d,
        coalesce(sum(v.revenue) filter (where v.occurred_at >= a.cohort_at and v.occurred_at < a.cohort_at + interval '30 days'), 0) as revenue_30d,
        coalesce(sum(v.revenue) filter (where v.occurred_at >= a.cohort_at and v.occurred_at < a.cohort_at + interval '90 days'), 0) as revenue_90d
    from anchored as a
    join conversions as v on v.customer_id = a.customer_id
    group by a.customer_id, a.cohort_at
)

select * from final

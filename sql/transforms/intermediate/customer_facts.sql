-- name: analytics_internal.customer_facts
-- materialized: incremental
-- unique_key: customer_id
-- keeps_changes: true
-- recompute: customer_id from analytics.attributed_conversions, analytics_internal.attributed_imports, analytics_internal.rule_revenue, raw.customers
-- depends_on: analytics_internal.revenue_events, analytics.attributed_conversions, analytics_internal.attributed_imports, analytics_internal.rule_revenue, raw.customers
-- description: Per customer with a revenue event: the lifetime totals every customer mart reads (conversions, purchases, revenue, default payouts) and signup-cohort revenue, from one pass over the customer's part of the revenue ledger.

-- One pass over each customer's part of the revenue ledger. Plain SQL over the whole ledger: the
-- engine recomputes only the customers whose ledger rows or customer row changed (see the
-- recompute line), by filtering on customer_id, which reaches the ledger's customer indexes.

with

per_customer as (
    -- One pass: totals, and cohort revenue from the signup date when there is one. Grouped by
    -- customer_id alone (the customer's row is one per customer; min() just carries it): grouped
    -- also by signup_at the planner multiplies the distinct counts past the row count, sorts the
    -- whole ledger to disk instead of hashing it, and costs the plan high enough to JIT-compile it.
    select
        e.customer_id,
        min(u.signup_at) as signup_at,
        min(u.source) as source,
        min(u.partner_id) as partner_id,
        count(*) filter (where e.origin = 'postback') as conversions,
        count(*) filter (where e.is_purchase) as orders,
        sum(e.revenue) as lifetime_revenue,
        sum(e.default_payout) as default_payout,
        min(e.occurred_at) as first_conversion_at,
        max(e.occurred_at) as last_conversion_at,
        sum(e.revenue) filter (where e.occurred_at >= u.signup_at and e.occurred_at < u.signup_at + interval '7 days')
            as signup_7d,
        sum(e.revenue) filter (where e.occurred_at >= u.signup_at and e.occurred_at < u.signup_at + interval '30 days')
            as signup_30d,
        sum(e.revenue) filter (where e.occurred_at >= u.signup_at and e.occurred_at < u.signup_at + interval '90 days')
            as signup_90d
    from analytics_internal.revenue_events as e
    left join raw.customers as u on u.customer_id = e.customer_id and u._load_id <= clv_meta.until_load()
    where e.customer_id is not null
    group by e.customer_id
),

final as (
    select
        p.customer_id,
        coalesce(p.source, 'other') as source,
        p.partner_id,
        p.first_conversion_at,
        p.last_conversion_at,
        p.conversions,
        p.orders,
        p.lifetime_revenue,
        p.default_payout,
        coalesce(p.signup_at, p.first_conversion_at) as cohort_at,
        coalesce(case when p.signup_at is null then f.revenue_7d else p.signup_7d end, 0) as cohort_revenue_7d,
        coalesce(case when p.signup_at is null then f.revenue_30d else p.signup_30d end, 0) as cohort_revenue_30d,
        coalesce(case when p.signup_at is null then f.revenue_90d else p.signup_90d end, 0) as cohort_revenue_90d
    from per_customer as p
    left join lateral (
        -- Without a signup date the cohort starts at the first revenue event, known only now: a
        -- second look at that customer's ledger (by index; none for customers with a signup date).
        select
            sum(v.revenue) filter (where v.occurred_at < p.first_conversion_at + interval '7 days') as revenue_7d,
            sum(v.revenue) filter (where v.occurred_at < p.first_conversion_at + interval '30 days') as revenue_30d,
            sum(v.revenue) filter (where v.occurred_at < p.first_conversion_at + interval '90 days') as revenue_90d
        from analytics_internal.revenue_events as v
        where p.signup_at is null and v.customer_id = p.customer_id
    ) as f on true
)

select * from final

-- name: analytics.customer_value
-- materialized: incremental
-- unique_key: customer_id
-- depends_on: raw.conversions, raw.customers, analytics_internal.changed_customers
-- description: One row per customer with at least one conversion: orders, revenue, payout, AOV, tenure and historical CLV (= total revenue).

with

conversions as (
    -- A full build reads every conversion; an incremental one only the changed customers', through
    -- the customer_id index. is_incremental() is evaluated once, so only one branch runs.
    select customer_id, occurred_at, revenue, coalesce(payout, 0) as payout
    from raw.conversions
    where not clv_meta.is_incremental() and customer_id is not null and _load_id <= (select clv_meta.until_load())
    union all
    select c.customer_id, c.occurred_at, c.revenue, coalesce(c.payout, 0)
    from analytics_internal.changed_customers as k
    join raw.conversions as c on c.customer_id = k.customer_id
    where clv_meta.is_incremental() and c._load_id <= (select clv_meta.until_load())
),

per_customer as (
    select
        customer_id,
        count(*) as orders,
        sum(revenue) as revenue,
        sum(payout) as payout,
        min(occurred_at) as first_conversion_at,
        max(occurred_at) as last_conversion_at
    from conversions
    group by customer_id
),

final as (
    select
        p.customer_id,                                                   /* Customer id (the user_id sent with conversions) */
        coalesce(c.source, 'other') as source,                           /* Referral source: affiliate, direct or other */
        c.partner_id,                                                    /* Referring partner, when known */
        p.first_conversion_at,                                           /* First conversion */
        p.last_conversion_at,                                            /* Latest conversion */
        p.orders,                                                        /* Conversions of any event */
        p.revenue,                                                       /* Sum of conversion revenue */
        p.payout,                                                        /* Sum of partner payouts */
        round(p.revenue / p.orders, 2) as aov,                           /* Average order value: revenue / orders */
        extract(day from p.last_conversion_at - p.first_conversion_at)::integer as tenure_days, /* Whole days from first to latest conversion */
        round(p.orders::numeric / greatest(extract(epoch from p.last_conversion_at - p.first_conversion_at) / 86400 / 30, 1), 4)
            as purchase_frequency,                                       /* Orders per 30 days of tenure (tenures under 30 days count as 30) */
        p.revenue as clv                                                 /* Historical CLV: total revenue to date */
    from per_customer as p
    left join raw.customers as c on c.customer_id = p.customer_id and c._load_id <= (select clv_meta.until_load())
)

select * from final

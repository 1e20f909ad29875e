-- name: analytics_internal.customer_facts
-- materialized: incremental
-- unique_key: customer_id
-- indexes: (recent_clv, customer_id)
-- keeps_changes: true
-- depends_on: raw.conversions, raw.customers, analytics_internal.changed_customers
-- description: Per customer with a conversion, everything the customer marts read, from one pass over their conversions: totals, cohort revenue and the CLV earned in the lookback window.

with

settings as (
    -- The CLV lookback window: change it here (the file's new version rebuilds the relation and the deciles).
    select 365 as lookback_days
),

lookback as (
    select clv_meta.as_of() - lookback_days * interval '1 day' as starts_after, clv_meta.as_of() as ends_at
    from settings
),

changed as (
    -- Changed customers, and, when the reference time moved since the last build, the customers
    -- with a conversion in the slices of time the lookback window gained or lost. unnest(array(…))
    -- so the plan expects a handful and looks each up by index.
    select customer_id from unnest(array(
        select customer_id from analytics_internal.changed_customers
        union
        select c.customer_id from raw.conversions as c
        where clv_meta.as_of() <> clv_meta.previous_as_of() and c.customer_id is not null
            and c._load_id <= clv_meta.until_load()
            and (
                (c.occurred_at > least(clv_meta.as_of(), clv_meta.previous_as_of())
                        - (select lookback_days from settings) * interval '1 day'
                    and c.occurred_at <= greatest(clv_meta.as_of(), clv_meta.previous_as_of())
                        - (select lookback_days from settings) * interval '1 day')
                or (c.occurred_at > least(clv_meta.as_of(), clv_meta.previous_as_of())
                    and c.occurred_at <= greatest(clv_meta.as_of(), clv_meta.previous_as_of()))
            )
    )) as changed (customer_id)
),

conversions as (
    -- Every conversion on a full build; the changed customers' only (from the customer_id index) on
    -- an incremental one. Each with its customer's signup date, source and partner.
    select c.customer_id, c.occurred_at, c.revenue, coalesce(c.payout, 0) as payout, u.signup_at, u.source, u.partner_id
    from raw.conversions as c
    left join raw.customers as u on u.customer_id = c.customer_id and u._load_id <= clv_meta.until_load()
    where not clv_meta.is_incremental() and c.customer_id is not null and c._load_id <= clv_meta.until_load()
    union all
    select c.customer_id, c.occurred_at, c.revenue, coalesce(c.payout, 0), u.signup_at, u.source, u.partner_id
    from changed as k
    left join raw.customers as u on u.customer_id = k.customer_id and u._load_id <= clv_meta.until_load()
    join raw.conversions as c on c.customer_id = k.customer_id
    where clv_meta.is_incremental() and c._load_id <= clv_meta.until_load()
),

per_customer as (
    -- One pass: totals, lookback CLV, and cohort revenue from the signup date when there is one.
    select
        customer_id,
        signup_at,
        source,
        partner_id,
        count(*) as orders,
        sum(revenue) as revenue,
        sum(payout) as payout,
        min(occurred_at) as first_conversion_at,
        max(occurred_at) as last_conversion_at,
        sum(revenue) filter (where occurred_at >= signup_at and occurred_at < signup_at + interval '7 days') as signup_7d,
        sum(revenue) filter (where occurred_at >= signup_at and occurred_at < signup_at + interval '30 days') as signup_30d,
        sum(revenue) filter (where occurred_at >= signup_at and occurred_at < signup_at + interval '90 days') as signup_90d,
        sum(revenue) filter (
            where occurred_at > (select starts_after from lookback) and occurred_at <= (select ends_at from lookback)
        ) as recent_clv
    from conversions
    group by customer_id, signup_at, source, partner_id
),

final as (
    select
        p.customer_id,
        coalesce(p.source, 'other') as source,
        p.partner_id,
        p.first_conversion_at,
        p.last_conversion_at,
        p.orders,
        p.revenue,
        p.payout,
        coalesce(p.signup_at, p.first_conversion_at) as cohort_at,
        coalesce(case when p.signup_at is null then f.revenue_7d else p.signup_7d end, 0) as revenue_7d,
        coalesce(case when p.signup_at is null then f.revenue_30d else p.signup_30d end, 0) as revenue_30d,
        coalesce(case when p.signup_at is null then f.revenue_90d else p.signup_90d end, 0) as revenue_90d,
        p.recent_clv,
        (select lookback_days from settings) as lookback_days,
        false as _deleted
    from per_customer as p
    left join lateral (
        -- Without a signup date the cohort starts at the first conversion, known only now: a second
        -- look at that customer's conversions (by index; none for customers with a signup date).
        select
            sum(v.revenue) filter (where v.occurred_at < p.first_conversion_at + interval '7 days') as revenue_7d,
            sum(v.revenue) filter (where v.occurred_at < p.first_conversion_at + interval '30 days') as revenue_30d,
            sum(v.revenue) filter (where v.occurred_at < p.first_conversion_at + interval '90 days') as revenue_90d
        from raw.conversions as v
        where p.signup_at is null and v.customer_id = p.customer_id and v._load_id <= clv_meta.until_load()
    ) as f on true
),

gone as (
    -- Customers left without a conversion: only a corrected or deleted conversion can do that, so
    -- the candidates are the customers of replaced conversion versions.
    select h.customer_id, null, null, null::timestamptz, null::timestamptz, null::bigint, null::numeric, null::numeric,
        null::timestamptz, null::numeric, null::numeric, null::numeric, null::numeric, null::integer, true
    from (
        select distinct customer_id from raw_history.conversions
        where _replaced_by > clv_meta.since_load() and _replaced_by <= clv_meta.until_load() and customer_id is not null
    ) as h
    where clv_meta.is_incremental() and not exists (
        select from raw.conversions as c where c.customer_id = h.customer_id and c._load_id <= clv_meta.until_load()
    )
)

select * from final
union all
select * from gone

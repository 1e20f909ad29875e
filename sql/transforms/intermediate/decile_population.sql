-- name: analytics_internal.decile_population
-- materialized: incremental
-- unique_key: lookback, dimension, customer_id
-- keeps_changes: true
-- indexes: (lookback, dimension, group_key, revenue, customer_id)
-- depends_on: analytics_internal.decile_rankings, analytics_internal.customer_facts, analytics_internal.revenue_events, analytics_internal.attributed_imports, raw.conversions
-- description: Who each CLV decile ranking ranks: per ranking (lookback and dimension), each customer with a revenue event in the window (reference time − lookback, reference time], the group it is ranked in ('' for all, else its source or partner) and its revenue there.

with

rankings as (
    select lookback, lookback_days, dimension from analytics_internal.decile_rankings
),

windows as (
    -- The distinct windows, smallest first (lifetime last), numbered. The windows nest, so an event
    -- counts in the smallest window that holds it and in every larger one.
    select lookback, lookback_days, row_number() over (order by lookback_days nulls last) - 1 as bucket
    from (select distinct lookback, lookback_days from rankings) as w
),

edges as (
    -- The finite windows' lengths in seconds, ascending: width_bucket over them gives an event's bucket.
    select coalesce(array_agg(lookback_days * 86400.0 order by lookback_days), '{}') as seconds
    from windows where lookback_days is not null
),

slices as (
    -- When the reference time moved since the last build: the slices of time each window gained or
    -- lost at its start, and the slice all of them gained or lost at the reference time.
    select least(clv_meta.as_of(), clv_meta.previous_as_of()) - lookback_days * interval '1 day' as after,
        greatest(clv_meta.as_of(), clv_meta.previous_as_of()) - lookback_days * interval '1 day' as until
    from windows where lookback_days is not null
    union all
    select least(clv_meta.as_of(), clv_meta.previous_as_of()), greatest(clv_meta.as_of(), clv_meta.previous_as_of())
),

changed as (
    -- Customers whose facts changed (revenue, source, partner), and those with a revenue event in a
    -- moved slice. unnest(array(…)) so the plan expects a handful and looks each up by index.
    select customer_id from unnest(array(
        select customer_id from clv_changes.analytics_internal__customer_facts
        where clv_meta.is_incremental() and _build_seq > clv_meta.since_build()
        union
        select c.customer_id from slices as s
        join raw.conversions as c on c.occurred_at > s.after and c.occurred_at <= s.until
        where clv_meta.is_incremental() and clv_meta.as_of() <> clv_meta.previous_as_of()
            and c.customer_id is not null and c._load_id <= clv_meta.until_load()
        union
        select i.customer_id from slices as s
        join analytics_internal.attributed_imports as i on i.occurred_at > s.after and i.occurred_at <= s.until
        where clv_meta.is_incremental() and clv_meta.as_of() <> clv_meta.previous_as_of() and i.customer_id is not null
    )) as changed (customer_id)
),

events as (
    -- The ledger up to the reference time: all of it on a full build, the changed customers' rows otherwise.
    select customer_id, occurred_at, revenue from analytics_internal.revenue_events
    where not clv_meta.is_incremental() and customer_id is not null and occurred_at <= clv_meta.as_of()
    union all
    select e.customer_id, e.occurred_at, e.revenue from changed as k
    join analytics_internal.revenue_events as e on e.customer_id = k.customer_id
    where clv_meta.is_incremental() and e.occurred_at <= clv_meta.as_of()
),

bucketed as (
    -- One row per customer and smallest window: one pass, no row per window.
    select
        customer_id,
        width_bucket(extract(epoch from clv_meta.as_of() - occurred_at), (select seconds from edges)) as bucket,
        sum(revenue) as revenue
    from events
    group by 1, 2
),

windowed as (
    -- The customer's facts are joined here, once per customer and window: the planner cannot see
    -- how many customers the grouped ledger holds (it guesses 40,000 on a full build, 1,400 after
    -- the window join), and joined after this it looked each of the millions of rows up by index.
    select b.customer_id, f.source, f.partner_id, w.lookback, sum(b.revenue) as revenue
    from bucketed as b
    join analytics_internal.customer_facts as f on f.customer_id = b.customer_id
    join windows as w on b.bucket <= w.bucket
    group by b.customer_id, f.source, f.partner_id, w.lookback
),

final as (
    select
        r.lookback,                                                      /* The ranking's window */
        r.dimension,                                                     /* all, source or partner */
        case r.dimension when 'source' then w.source when 'partner' then w.partner_id else '' end
            as group_key,                                                /* '' for all, else the customer's source or partner */
        w.customer_id,                                                   /* Customer with a revenue event in the window */
        w.revenue,                                                       /* Their revenue in the window */
        false as _deleted
    from windowed as w
    join rankings as r on r.lookback = w.lookback
    where r.dimension <> 'partner' or w.partner_id is not null
),

gone as (
    -- The changed customers' places that no longer hold.
    select r.lookback, r.dimension, null, k.customer_id, null::numeric, true
    from changed as k
    cross join rankings as r
    where clv_meta.is_incremental() and not exists (
        select from final as f
        where f.lookback = r.lookback and f.dimension = r.dimension and f.customer_id = k.customer_id
    )
)

select * from final
union all
select * from gone

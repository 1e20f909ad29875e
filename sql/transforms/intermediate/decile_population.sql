-- name: analytics_internal.decile_population
-- materialized: incremental
-- unique_key: customer_id, lookback, dimension
-- keeps_changes: true
-- indexes: (lookback, dimension, group_key, revenue, customer_id)
-- depends_on: analytics_internal.decile_rankings, analytics_internal.customer_facts, analytics_internal.revenue_events, analytics_internal.attributed_imports, raw.conversions
-- recompute: customer_id from analytics_internal.customer_facts, raw.conversions(customer_id at occurred_at within analytics_internal.decile_rankings.lookback_days days), analytics_internal.attributed_imports(customer_id at occurred_at within analytics_internal.decile_rankings.lookback_days days)
-- description: Who each CLV decile ranking ranks: per ranking (lookback and dimension), each customer with a revenue event in the window (reference time − lookback, reference time], the group it is ranked in ('' for all, else its source or partner) and its revenue there.

-- Plain SQL over the whole ledger: the engine recomputes only the customers whose facts changed
-- (revenue, source, partner) and, when the reference time moved, those with a revenue event in a
-- slice of time a window gained or lost (found through the occurred_at indexes).

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

bucketed as (
    -- The ledger up to the reference time, one row per customer and smallest window: one pass, no
    -- row per window.
    select
        customer_id,
        width_bucket(extract(epoch from clv_meta.as_of() - occurred_at), (select seconds from edges)) as bucket,
        sum(revenue) as revenue
    from analytics_internal.revenue_events
    where customer_id is not null and occurred_at <= clv_meta.as_of()
    group by 1, 2
),

cumulative as (
    -- Each customer's revenue up to the end of each of its buckets (the windows nest), and its next
    -- bucket: that total is its revenue in every window from this bucket up to the next. A running
    -- sum over each customer's few bucket rows, instead of a row per event and window grouped
    -- again (which, at 1M customers, hashed 5M rows and spilled them to disk).
    select
        customer_id,
        bucket,
        sum(revenue) over (partition by customer_id order by bucket) as revenue,
        lead(bucket) over (partition by customer_id order by bucket) as next_bucket
    from bucketed
),

windowed as (
    -- The customer's facts are joined here, once per customer and window: the planner cannot see
    -- how many customers the grouped ledger holds (it guesses 40,000 on a full build, 1,400 after
    -- the window join), and joined after this it looked each of the millions of rows up by index.
    select c.customer_id, f.source, f.partner_id, w.lookback, c.revenue
    from cumulative as c
    join analytics_internal.customer_facts as f on f.customer_id = c.customer_id
    join windows as w on w.bucket >= c.bucket and (c.next_bucket is null or w.bucket < c.next_bucket)
)

select
    r.lookback,                                                          /* The ranking's window */
    r.dimension,                                                         /* all, source or partner */
    case r.dimension when 'source' then w.source when 'partner' then w.partner_id else '' end
        as group_key,                                                    /* '' for all, else the customer's source or partner */
    w.customer_id,                                                       /* Customer with a revenue event in the window */
    w.revenue                                                            /* Their revenue in the window */
from windowed as w
join rankings as r on r.lookback = w.lookback
where r.dimension <> 'partner' or w.partner_id is not null

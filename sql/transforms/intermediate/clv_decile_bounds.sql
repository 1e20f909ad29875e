-- name: analytics_internal.clv_decile_bounds
-- materialized: incremental
-- unique_key: lookback, dimension, group_key, decile
-- depends_on: analytics_internal.decile_population
-- description: Where each CLV decile starts, per ranking and group: the customer at position floor((decile − 1) × n / 10) + 1 in (revenue, customer_id) order among the n customers ranked. A customer's decile is 1 + the number of deciles 2–10 whose first revenue is at or below theirs, which is ceil(10 × cume_dist()).

-- Why these positions: ceil(10 × cume_dist(v)) > d − 1 exactly when at least floor((d − 1) × n / 10) + 1
-- customers have revenue ≤ v, i.e. when v ≥ the revenue at that position. Ties share a decile, the
-- best customer is always 10, and every group of n ≥ 1 customers has ten bounds.
--
-- An incremental build moves each bound of a group with changes from where it was: the rows now
-- before the old bound are its old position plus the changed customers' new places before it minus
-- their old places, and the new bound is that many rows short of (or past) its new position: a
-- short walk along the (lookback, dimension, group_key, revenue, customer_id) index. A group
-- without a previous build is ranked in full; a group left empty loses its bounds.

with

previous as (
    select
        r ->> 'lookback' as lookback,
        r ->> 'dimension' as dimension,
        r ->> 'group_key' as group_key,
        (r ->> 'decile')::integer as decile,
        (r ->> 'first_revenue')::numeric as first_revenue,
        r ->> 'first_customer_id' as first_customer_id,
        (r ->> 'customers')::bigint as customers
    from clv_meta.previous_rows('analytics_internal.clv_decile_bounds') as r
    where clv_meta.is_incremental()
),

changes as (
    -- Places as they were (-1) and are (+1) since the last build.
    select lookback, dimension, group_key, _sign, revenue, customer_id
    from clv_changes.analytics_internal__decile_population
    where clv_meta.is_incremental() and _build_seq > clv_meta.since_build()
),

state as (
    -- Each group with changes: its size before and after, and whether its bounds can be walked.
    select
        t.lookback,
        t.dimension,
        t.group_key,
        coalesce(p.customers, 0) as old_n,
        coalesce(p.customers, 0) + t.delta as new_n,
        coalesce(p.deciles, 0) = 10 and coalesce(p.customers, 0) + t.delta > 0 as walks
    from (
        select lookback, dimension, group_key, sum(_sign) as delta from changes group by 1, 2, 3
    ) as t
    left join (
        select lookback, dimension, group_key, max(customers) as customers, count(*) as deciles
        from previous group by 1, 2, 3
    ) as p on p.lookback = t.lookback and p.dimension = t.dimension and p.group_key = t.group_key
),

ordered as (
    -- The walking groups' old bounds among the changes, in (revenue, customer_id) order per group
    -- (a bound before changes at its own key): one sorted pass gives each bound the net number of
    -- rows that appeared (+1) or left (-1) before it.
    select
        c.lookback, c.dimension, c.group_key, c.revenue, c.customer_id, 1 as is_change, c._sign, null::integer as decile
    from changes as c
    union all
    select p.lookback, p.dimension, p.group_key, p.first_revenue, p.first_customer_id, 0, 0, p.decile
    from previous as p
    join state as s on s.lookback = p.lookback and s.dimension = p.dimension and s.group_key = p.group_key
    where s.walks
),

shifted as (
    select lookback, dimension, group_key, revenue, customer_id, decile, is_change,
        sum(_sign) over (
            partition by lookback, dimension, group_key order by revenue, customer_id, is_change
            rows between unbounded preceding and current row
        ) as moved_before
    from ordered
),

moves as (
    -- Rows to walk from each old bound to its new one (negative: backwards).
    select
        b.lookback,
        b.dimension,
        b.group_key,
        b.decile,
        b.revenue as first_revenue,
        b.customer_id as first_customer_id,
        s.new_n,
        (b.decile - 1) * s.new_n / 10 - (b.decile - 1) * s.old_n / 10 - b.moved_before as steps
    from shifted as b
    join state as s on s.lookback = b.lookback and s.dimension = b.dimension and s.group_key = b.group_key
    where b.is_change = 0
),

walked as (
    select m.lookback, m.dimension, m.group_key, m.decile, f.revenue, f.customer_id, m.new_n
    from moves as m
    cross join lateral (
        (
            select revenue, customer_id from analytics_internal.decile_population
            where m.steps >= 0 and lookback = m.lookback and dimension = m.dimension and group_key = m.group_key
                and (revenue, customer_id) >= (m.first_revenue, m.first_customer_id)
            order by revenue, customer_id
            offset greatest(m.steps, 0) limit 1
        )
        union all
        (
            select revenue, customer_id from analytics_internal.decile_population
            where m.steps < 0 and lookback = m.lookback and dimension = m.dimension and group_key = m.group_key
                and (revenue, customer_id) < (m.first_revenue, m.first_customer_id)
            order by revenue desc, customer_id desc
            offset greatest(-m.steps - 1, 0) limit 1
        )
    ) as f
),

ranked_rows as not materialized (
    -- Every group on a full build; on an incremental one the changed groups that cannot be walked
    -- (new groups), found by index. Not materialized: each reader scans the index again rather than
    -- spilling millions of rows.
    select lookback, dimension, group_key, revenue, customer_id from analytics_internal.decile_population
    where not clv_meta.is_incremental()
    union all
    select p.lookback, p.dimension, p.group_key, p.revenue, p.customer_id
    from state as s
    join analytics_internal.decile_population as p
        on p.lookback = s.lookback and p.dimension = s.dimension and p.group_key = s.group_key
    where clv_meta.is_incremental() and not s.walks and s.new_n > 0
),

groups as materialized (
    -- Each group's size (one aggregate over the rows), so the positions are known before ranking.
    -- Materialized: a few hundred rows, hashed once and met by every ranked row.
    select lookback, dimension, group_key, count(*) as n from ranked_rows group by lookback, dimension, group_key
),

ranked as (
    -- Positions in (revenue, customer_id) order: a running count only. On a full build it reads the
    -- table itself, so the rows stream in the order of the (lookback, dimension, group_key, revenue,
    -- customer_id) index instead of being sorted (sorting five million rows on five keys took 25 s;
    -- reading the index, 1 s); through the union above, the planner sorted.
    select lookback, dimension, group_key, revenue, customer_id, row_number() over in_group as position
    from analytics_internal.decile_population
    where not clv_meta.is_incremental()
    window in_group as (partition by lookback, dimension, group_key order by revenue, customer_id)
    union all
    select *, row_number() over in_group
    from ranked_rows
    where clv_meta.is_incremental()
    window in_group as (partition by lookback, dimension, group_key order by revenue, customer_id)
)

select
    r.lookback,                                                          /* The ranking's window */
    r.dimension,                                                         /* all, source or partner */
    r.group_key,                                                         /* '' for all, else the source or partner */
    d.decile::integer,                                                   /* 1 = lowest, 10 = highest */
    r.revenue as first_revenue,                                          /* Revenue of the decile's first customer */
    r.customer_id as first_customer_id,                                  /* That customer (in (revenue, customer_id) order) */
    g.n as customers,                                                    /* Customers ranked in the group */
    false as _deleted
from ranked as r
join groups as g on g.lookback = r.lookback and g.dimension = r.dimension and g.group_key = r.group_key
-- The row at position p starts decile d when floor((d − 1) × n / 10) = p − 1, i.e. for d from
-- ceil(10 (p − 1) / n) + 1 to min(ceil(10 p / n), 10): one decile for most starts, several when
-- n < 10, none for every other row (the filter keeps the function off them).
cross join lateral generate_series(
    (10 * (r.position - 1) + g.n - 1) / g.n + 1, least((10 * r.position + g.n - 1) / g.n, 10)
) as d (decile)
where (10 * (r.position - 1) + g.n - 1) / g.n < least((10 * r.position + g.n - 1) / g.n, 10)
union all
select lookback, dimension, group_key, decile, revenue, customer_id, new_n, false
from walked
union all
-- Groups left empty lose their bounds.
select p.lookback, p.dimension, p.group_key, p.decile, null, null, null, true
from previous as p
join state as s on s.lookback = p.lookback and s.dimension = p.dimension and s.group_key = p.group_key
where s.new_n <= 0

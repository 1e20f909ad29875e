-- name: analytics_internal.clv_decile_bounds
-- materialized: incremental
-- unique_key: decile
-- depends_on: analytics_internal.customer_facts
-- description: The first customer of each CLV decile in (lookback CLV, customer_id) order: ntile(10) over the customers with a conversion in the lookback window, 10 = highest.

-- ntile(10) over n rows puts one more row in each of the first n % 10 deciles, so decile d starts
-- after (d - 1) * (n / 10) + least(d - 1, n % 10) rows. An incremental build moves each decile's
-- first customer from where it was: the rows now before the old first customer are the old count
-- plus the changed customers' new values before it minus their old values before it, and the new
-- first customer is that many rows short of (or past) the new start, a short walk along the
-- (recent_clv, customer_id) index. Fewer than ten customers, or no previous build, rank them all.

with

previous as (
    select
        (r ->> 'decile')::integer as decile,
        (r ->> 'first_clv')::numeric as first_clv,
        r ->> 'first_customer_id' as first_customer_id,
        (r ->> 'customers')::bigint as customers
    from clv_meta.previous_rows('analytics_internal.clv_decile_bounds') as r
    where clv_meta.is_incremental()
),

changes as (
    -- The customers' lookback CLV as it was (-1) and is (+1), for those with one.
    select _sign, recent_clv, customer_id from clv_changes.analytics_internal__customer_facts
    where clv_meta.is_incremental() and _build_seq > clv_meta.since_build() and recent_clv is not null
),

state as (
    select
        old_n,
        new_n,
        not (clv_meta.is_incremental() and deciles = 10 and old_n >= 10 and new_n >= 10) as rank_all
    from (
        select
            coalesce(max(customers), 0) as old_n,
            coalesce(max(customers), 0) + coalesce((select sum(_sign) from changes), 0) as new_n,
            count(*) as deciles
        from previous
    ) as counts
),

moves as (
    -- Rows to walk from the old first customer to the new one (negative: backwards).
    select
        p.decile,
        p.first_clv,
        p.first_customer_id,
        (p.decile - 1) * (s.new_n / 10) + least(p.decile - 1, s.new_n % 10)
            - (p.decile - 1) * (s.old_n / 10) - least(p.decile - 1, s.old_n % 10)
            - coalesce((
                select sum(c._sign) from changes as c
                where (c.recent_clv, c.customer_id) < (p.first_clv, p.first_customer_id)
            ), 0) as steps
    from previous as p, state as s
    where not s.rank_all
),

walked as (
    select m.decile, f.recent_clv as first_clv, f.customer_id as first_customer_id
    from moves as m
    cross join lateral (
        (
            select recent_clv, customer_id from analytics_internal.customer_facts
            where m.steps >= 0 and recent_clv is not null
                and (recent_clv, customer_id) >= (m.first_clv, m.first_customer_id)
            order by recent_clv, customer_id
            offset greatest(m.steps, 0) limit 1
        )
        union all
        (
            select recent_clv, customer_id from analytics_internal.customer_facts
            where m.steps < 0 and recent_clv is not null
                and (recent_clv, customer_id) < (m.first_clv, m.first_customer_id)
            order by recent_clv desc, customer_id desc
            offset greatest(-m.steps - 1, 0) limit 1
        )
    ) as f
),

counted as (
    select count(*) as n from analytics_internal.customer_facts
    where recent_clv is not null and (select rank_all from state)
),

ranked as (
    -- One ordered pass over the (recent_clv, customer_id) index.
    select recent_clv as clv, customer_id, row_number() over (order by recent_clv, customer_id) as row_number
    from analytics_internal.customer_facts
    where recent_clv is not null and (select rank_all from state)
),

starts as (
    select d as decile, (d - 1) * (n / 10) + least(d - 1, n % 10) + 1 as first_row, n
    from counted, generate_series(1, 10) as d
    where (d - 1) * (n / 10) + least(d - 1, n % 10) + 1 <= n
)

select
    s.decile,                                                            /* 1 = lowest tenth, 10 = highest */
    r.clv as first_clv,                                                  /* CLV of the decile's first customer */
    r.customer_id as first_customer_id,                                  /* That customer (ties on CLV go by customer_id) */
    s.n as customers                                                     /* Customers ranked (with a conversion in the window) */
from starts as s
join ranked as r on r.row_number = s.first_row
union all
select w.decile, w.first_clv, w.first_customer_id, (select new_n from state)
from walked as w

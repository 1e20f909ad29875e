-- Period comparison for analysts: a date range against the previous range of equal length.
-- plpgsql, so it reads the analytics relations when called (they are built by clv run).

create schema if not exists analytics;

-- New customers and revenue by source in [from_day, to_day) and in the range of equal length
-- just before it: current, previous, absolute change and % change (NULL when previous is 0).
create function analytics.compare_periods(from_day date, to_day date)
returns table (metric text, source text, current_value numeric, previous_value numeric, change numeric, pct_change numeric)
language plpgsql stable as $$
declare
    days integer := to_day - from_day;
begin
    if days <= 0 then
        raise exception 'compare_periods: to_day (%) must be after from_day (%)', to_day, from_day;
    end if;
    return query
    with
    new_customers as (
        select n.source, sum(n.new_customers) filter (where n.day >= from_day and n.day < to_day) as cur,
               sum(n.new_customers) filter (where n.day >= from_day - days and n.day < from_day) as prev
        from analytics.new_customers_daily as n group by n.source
    ),
    revenue as (
        select coalesce(u.source, 'other') as source,
               sum(a.revenue) filter (where a.occurred_at >= from_day and a.occurred_at < to_day) as cur,
               sum(a.revenue) filter (where a.occurred_at >= from_day - days and a.occurred_at < from_day) as prev
        from analytics.attributed_conversions as a
        left join raw.customers as u on u.customer_id = a.customer_id
        where a.occurred_at >= from_day - days and a.occurred_at < to_day
        group by 1
    ),
    metrics as (
        select 'new_customers'::text as m, n.source, coalesce(n.cur, 0)::numeric as c, coalesce(n.prev, 0)::numeric as p from new_customers as n
        union all
        select 'revenue', r.source, coalesce(r.cur, 0), coalesce(r.prev, 0) from revenue as r
    )
    select m, metrics.source, c, p, c - p, round((c - p) / nullif(p, 0) * 100, 2)
    from metrics order by 1, 2;
end $$;

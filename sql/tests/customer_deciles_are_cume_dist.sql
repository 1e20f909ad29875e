-- description: Every decile is ceil(10 × cume_dist()) of the customer's window revenue within its ranking group: 1..10, ties share a decile, the best customer is 10, and the windows' revenue adds up to the ledger.
with ranked as (
    select lookback, dimension, group_key, customer_id, decile,
        ceil(10 * cume_dist() over (partition by lookback, dimension, group_key order by revenue))::integer as expected
    from analytics.customer_deciles
),
built as (
    -- The reference time the rankings were built for.
    select as_of from analytics.build_info where relation = 'analytics_internal.decile_population'
),
windows as (
    select r.lookback, r.lookback_days, coalesce(sum(e.revenue), 0) as revenue
    from (select distinct lookback, lookback_days from analytics_internal.decile_rankings) as r
    cross join built as b
    left join analytics_internal.revenue_events as e
        on e.customer_id is not null and e.occurred_at <= b.as_of
        and (r.lookback_days is null or e.occurred_at > b.as_of - r.lookback_days * interval '1 day')
    group by r.lookback, r.lookback_days
),
ranked_revenue as (
    select lookback, coalesce(sum(revenue), 0) as revenue
    from analytics.customer_deciles where dimension = 'all' group by lookback
)
select 'decile is not ceil(10 × cume_dist())' as problem, lookback || ' ' || dimension || ' ' || group_key || ' ' || customer_id as detail
from ranked where decile is distinct from expected
union all
select 'window revenue differs from the ledger', w.lookback || ': ' || w.revenue || ' vs ' || coalesce(r.revenue, 0)
from windows as w left join ranked_revenue as r on r.lookback = w.lookback
where w.revenue <> coalesce(r.revenue, 0)

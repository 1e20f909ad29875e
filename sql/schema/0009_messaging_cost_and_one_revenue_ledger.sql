-- Messaging cost as senders are billed, and one revenue ledger for every metric.
--
-- raw.message_sends: `segments` held audience-segment names and is renamed `audience_segments`;
-- a send now carries `segments_used` (message parts billed, default 1) and either its `cost` or a
-- `cost_per_segment`: its messaging cost is cost when given, else segments_used × cost_per_segment.
-- The history table is rebuilt in the same column order (its trigger copies rows positionally).

alter table raw.message_sends rename column segments to audience_segments;
alter table raw.message_sends alter column cost drop not null;
alter table raw.message_sends alter column cost drop default;
alter table raw.message_sends add column segments_used integer not null default 1 check (segments_used >= 0);
alter table raw.message_sends add column cost_per_segment numeric check (cost_per_segment >= 0);

alter table raw_history.message_sends rename to message_sends_before_0009;
create table raw_history.message_sends (like raw.message_sends);
alter table raw_history.message_sends add column _replaced_by bigint not null;
create index on raw_history.message_sends (_replaced_by);
insert into raw_history.message_sends
    (message_id, sent_at, campaign_id, creative_id, list_id, contact, audience_segments, cost, _load_id, _loaded_at,
     segments_used, cost_per_segment, _replaced_by)
select message_id, sent_at, campaign_id, creative_id, list_id, contact, segments, cost, _load_id, _loaded_at,
    1, null, _replaced_by
from raw_history.message_sends_before_0009;
drop table raw_history.message_sends_before_0009;

-- The conversion report moves to sql/transforms/marts/conversion_payouts.sql: it reads each
-- conversion's default payout from attribution (the conversion's own payout, else its offer's).
drop view if exists analytics.conversion_payouts;

-- Revenue in a period comes from the revenue ledger (postbacks and counted imports), like every
-- other revenue figure; a customer's source from the customer facts.
create or replace function analytics.compare_periods(from_day date, to_day date)
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
               sum(e.revenue) filter (where e.occurred_at >= from_day and e.occurred_at < to_day) as cur,
               sum(e.revenue) filter (where e.occurred_at >= from_day - days and e.occurred_at < from_day) as prev
        from analytics_internal.revenue_events as e
        left join raw.customers as u on u.customer_id = e.customer_id
        where e.occurred_at >= from_day - days and e.occurred_at < to_day
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

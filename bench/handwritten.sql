-- The hand-written baseline for bench/transforms.sh: what clv's customer facts and CLV deciles
-- hold (docs/metrics.md), one plain statement per relation, no staging, no audits, no history.
-- Same work_mem as clv gives its steps (StepBuilder.configure), so neither side spills where the
-- other hashes in memory.
set work_mem = '256MB';
\timing on

-- Per customer with a revenue event: the ledger is each postback conversion (with its default
-- payout: its own, else its offer's via the conversion or its click: cpa amount or revshare % of
-- revenue, else 0) and each imported amount that counts (no postback with revenue <> 0 on its
-- click), owned by the customer of its click's first conversion that names one. Cohort revenue
-- runs from signup_at, else from the first revenue event.
create temp table hw_customer_facts as
with ledger as (
    select c.customer_id, c.occurred_at, c.revenue, true as is_conversion,
           coalesce(c.payout, case o.payout_type when 'revshare' then o.payout * c.revenue / 100 else o.payout end, 0)
               as default_payout
    from raw.conversions as c
    left join raw.clicks as k on k.click_id = c.click_id
    left join raw.offers as o on o.offer_id = coalesce(c.offer_id, k.offer_id)
    where c.customer_id is not null
    union all
    select f.customer_id, i.revenue_date::timestamp at time zone 'UTC', i.amount, false, 0
    from raw.revenue_imports as i
    cross join lateral (
        select p.customer_id from raw.conversions as p
        where p.click_id = i.click_id and p.customer_id is not null
        order by p.occurred_at, p.conversion_id limit 1
    ) as f
    where not exists (select from raw.conversions as p where p.click_id = i.click_id and p.revenue <> 0)
),
anchored as (
    select l.*, u.source, u.partner_id,
           coalesce(u.signup_at, min(l.occurred_at) over (partition by l.customer_id)) as cohort_at
    from ledger as l left join raw.customers as u on u.customer_id = l.customer_id
)
select customer_id, coalesce(source, 'other') as source, partner_id,
       min(occurred_at) as first_conversion_at, max(occurred_at) as last_conversion_at,
       count(*) filter (where is_conversion) as conversions,
       count(*) filter (where revenue > 0) as orders,
       sum(revenue) as lifetime_revenue, sum(default_payout) as default_payout, cohort_at,
       coalesce(sum(revenue) filter (where occurred_at >= cohort_at and occurred_at < cohort_at + interval '7 days'), 0) as cohort_revenue_7d,
       coalesce(sum(revenue) filter (where occurred_at >= cohort_at and occurred_at < cohort_at + interval '30 days'), 0) as cohort_revenue_30d,
       coalesce(sum(revenue) filter (where occurred_at >= cohort_at and occurred_at < cohort_at + interval '90 days'), 0) as cohort_revenue_90d
from anchored
group by customer_id, source, partner_id, cohort_at;

-- Every decile: revenue in (as_of − N days, as_of] for 30/90/180/365 days and up to as_of for
-- lifetime, among customers with a revenue event there; and the 365-day ranking within referral
-- source and within partner (customers without one have none). decile = ceil(10 × cume_dist()).
create temp table hw_customer_deciles as
with ledger as (
    select customer_id, occurred_at, revenue from raw.conversions
    where customer_id is not null and occurred_at <= :'as_of'::timestamptz
    union all
    select f.customer_id, i.revenue_date::timestamp at time zone 'UTC', i.amount
    from raw.revenue_imports as i
    cross join lateral (
        select p.customer_id from raw.conversions as p
        where p.click_id = i.click_id and p.customer_id is not null
        order by p.occurred_at, p.conversion_id limit 1
    ) as f
    where i.revenue_date::timestamp at time zone 'UTC' <= :'as_of'::timestamptz
        and not exists (select from raw.conversions as p where p.click_id = i.click_id and p.revenue <> 0)
),
windows as (
    select customer_id,
           sum(revenue) filter (where occurred_at > :'as_of'::timestamptz - interval '30 days') as r30,
           count(*) filter (where occurred_at > :'as_of'::timestamptz - interval '30 days') as n30,
           sum(revenue) filter (where occurred_at > :'as_of'::timestamptz - interval '90 days') as r90,
           count(*) filter (where occurred_at > :'as_of'::timestamptz - interval '90 days') as n90,
           sum(revenue) filter (where occurred_at > :'as_of'::timestamptz - interval '180 days') as r180,
           count(*) filter (where occurred_at > :'as_of'::timestamptz - interval '180 days') as n180,
           sum(revenue) filter (where occurred_at > :'as_of'::timestamptz - interval '365 days') as r365,
           count(*) filter (where occurred_at > :'as_of'::timestamptz - interval '365 days') as n365,
           sum(revenue) as rlife
    from ledger
    group by customer_id
),
population as (
    select x.lookback, x.dimension, x.group_key, w.customer_id, x.revenue
    from windows as w
    left join raw.customers as u on u.customer_id = w.customer_id
    cross join lateral (values
        ('30d', 'all', '', w.r30, w.n30),
        ('90d', 'all', '', w.r90, w.n90),
        ('180d', 'all', '', w.r180, w.n180),
        ('365d', 'all', '', w.r365, w.n365),
        ('lifetime', 'all', '', w.rlife, 1),
        ('365d', 'source', coalesce(u.source, 'other'), w.r365, w.n365),
        ('365d', 'partner', u.partner_id, w.r365, w.n365)
    ) as x (lookback, dimension, group_key, revenue, events)
    where x.events > 0 and x.group_key is not null
)
select lookback, dimension, group_key, customer_id, revenue,
       ceil(10 * cume_dist() over (partition by lookback, dimension, group_key order by revenue))::integer as decile
from population;

-- Not timed: the rows clv holds after its incremental rounds that differ from these.
\timing off
\pset format unaligned
\pset tuples_only on
select 'check|facts_differ|' || count(*)
from hw_customer_facts as h
full join analytics_internal.customer_facts as f on f.customer_id = h.customer_id
where row(h.source, h.partner_id, h.first_conversion_at, h.last_conversion_at, h.conversions, h.orders,
          h.lifetime_revenue, h.default_payout, h.cohort_at, h.cohort_revenue_7d, h.cohort_revenue_30d, h.cohort_revenue_90d)
      is distinct from
      row(f.source, f.partner_id, f.first_conversion_at, f.last_conversion_at, f.conversions, f.orders,
          f.lifetime_revenue, f.default_payout, f.cohort_at, f.cohort_revenue_7d, f.cohort_revenue_30d, f.cohort_revenue_90d);
select 'check|deciles_differ|' || count(*)
from hw_customer_deciles as h
full join analytics.customer_deciles as d
    on d.lookback = h.lookback and d.dimension = h.dimension and d.customer_id = h.customer_id
where row(h.group_key, h.revenue, h.decile) is distinct from row(d.group_key, d.revenue, d.decile);

-- The hand-written baseline for bench/transforms.sh: customer values, CLV deciles and signup
-- cohort revenue as plain statements, no staging, no audits, no history.
\timing on
create temp table hw_customer_value as
select c.customer_id, coalesce(u.source, 'other') as source, u.partner_id,
       min(c.occurred_at) as first_conversion_at, max(c.occurred_at) as last_conversion_at,
       count(*) as orders, sum(c.revenue) as revenue, sum(coalesce(c.payout, 0)) as payout,
       round(sum(c.revenue) / count(*), 2) as aov,
       extract(day from max(c.occurred_at) - min(c.occurred_at))::integer as tenure_days,
       sum(c.revenue) as clv
from raw.conversions c left join raw.customers u using (customer_id)
where c.customer_id is not null
group by c.customer_id, u.source, u.partner_id;

create temp table hw_clv_deciles as
select customer_id, sum(revenue) as clv, ntile(10) over (order by sum(revenue), customer_id) as decile
from raw.conversions
where customer_id is not null and occurred_at > :'as_of'::timestamptz - interval '365 days' and occurred_at <= :'as_of'::timestamptz
group by customer_id;

create temp table hw_cohorts as
with anchored as (
    select c.customer_id, coalesce(u.signup_at, min(c.occurred_at)) as cohort_at
    from raw.conversions c left join raw.customers u using (customer_id)
    where c.customer_id is not null group by c.customer_id, u.signup_at
)
select a.customer_id, a.cohort_at,
       coalesce(sum(v.revenue) filter (where v.occurred_at >= a.cohort_at and v.occurred_at < a.cohort_at + interval '7 days'), 0) as revenue_7d,
       coalesce(sum(v.revenue) filter (where v.occurred_at >= a.cohort_at and v.occurred_at < a.cohort_at + interval '30 days'), 0) as revenue_30d,
       coalesce(sum(v.revenue) filter (where v.occurred_at >= a.cohort_at and v.occurred_at < a.cohort_at + interval '90 days'), 0) as revenue_90d
from anchored a join raw.conversions v on v.customer_id = a.customer_id
group by a.customer_id, a.cohort_at;

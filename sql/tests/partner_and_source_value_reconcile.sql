-- description: Partner and source value add up to their customers' lifetime revenue, and partners' payouts to the final payouts of their customers' conversions.
with by_source as (select coalesce(sum(lifetime_revenue), 0) as revenue from analytics.source_value),
by_partner as (select coalesce(sum(lifetime_revenue), 0) as revenue, coalesce(sum(payout), 0) as payout from analytics.partner_value),
customers as (
    select coalesce(sum(lifetime_revenue), 0) as revenue,
        coalesce(sum(lifetime_revenue) filter (where partner_id is not null), 0) as partner_revenue
    from analytics.customer_value
),
payouts as (
    select coalesce(sum(p.final_payout), 0) as payout
    from analytics.conversion_payouts as p
    join analytics.customer_value as v on v.customer_id = p.customer_id
    where v.partner_id is not null
)
select 'source value differs from customer value' as problem, s.revenue::text as detail
from by_source as s, customers as c where s.revenue <> c.revenue
union all
select 'partner value differs from customer value', p.revenue::text
from by_partner as p, customers as c where p.revenue <> c.partner_revenue
union all
select 'partner payouts differ from conversion payouts', p.payout::text
from by_partner as p, payouts as q where p.payout <> q.payout

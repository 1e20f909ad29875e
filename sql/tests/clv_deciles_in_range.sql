-- audits: analytics.clv_deciles
-- description: Deciles are 1..10 and no decile holds more than one customer more than another.
with sizes as (
    select decile, count(*) as customers from analytics.clv_deciles group by decile
)
select 'decile out of range' as problem, decile::text as detail from analytics.clv_deciles
where decile not between 1 and 10
union all
select 'unbalanced deciles', min(customers)::text || '..' || max(customers)::text from sizes
having max(customers) - min(customers) > 1

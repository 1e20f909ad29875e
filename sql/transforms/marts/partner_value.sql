-- name: analytics.partner_value
-- materialized: table
-- unique_key: partner_id
-- depends_on: analytics.customer_value, analytics.clv_deciles
-- description: CLV by referring partner: customers, revenue, average CLV and the share of their customers in the top CLV decile.

with

customers as (
    select v.customer_id, v.partner_id, v.clv, d.decile
    from analytics.customer_value as v
    left join analytics.clv_deciles as d on d.customer_id = v.customer_id
    where v.partner_id is not null
),

final as (
    select
        partner_id,                                                      /* Referring partner */
        count(*) as customers,                                           /* Customers it referred (with a conversion) */
        sum(clv) as revenue,                                             /* Their total revenue */
        round(avg(clv), 2) as avg_clv,                                   /* Average historical CLV */
        round(count(*) filter (where decile = 10)::numeric / count(*), 4) as top_decile_share /* Share of its customers in CLV decile 10 */
    from customers
    group by partner_id
)

select * from final

-- name: clv_model_rule_matches (temporary, one fit)
-- description: The outcomes the active rules on model outputs give for the fit in clv_model_fit (fit_id, fitted_until): for each customer of the fit whose values meet every condition, who has no outcome of the rule yet and whose first conversion is within the rule's window of the fit, one outcome on their latest conversion in the rule's scope before the fit.
--
-- The values: analytics.predicted_clv (predicted_clv, p_alive, predicted_decile) as just published,
-- and the 365-day CLV decile (analytics.clv_deciles.decile). fitted_until is the end of the fit's
-- observation day (UTC). A window from the first conversion counts from the customer's first
-- conversion of all (window_from 'customer') or in the scope (window_from 'scope').

with

fit as (
    select fit_id, fitted_until from clv_model_fit
),

rules as (
    select * from clv_meta.payout_rules
    where evaluated_on = 'fits' and status = 'active' and superseded_at is null
),

model_values as (
    select p.customer_id, p.predicted_clv, p.p_alive::numeric as p_alive, p.predicted_decile::numeric as predicted_decile,
        d.decile::numeric as clv_decile
    from analytics.predicted_clv as p
    left join analytics.clv_deciles as d on d.customer_id = p.customer_id
),

qualified as (
    -- Every condition holds on the customer's values; not paid by this rule yet.
    select r.name, r.family, r.version, v.customer_id
    from rules as r
    cross join model_values as v
    where not exists (
        select from clv_meta.rule_conditions as c
        where c.rule_name = r.name and not coalesce(clv_meta.rule_number_holds(
            c.operator,
            case c.subject
                when 'predicted_clv' then v.predicted_clv
                when 'p_alive' then v.p_alive
                when 'predicted_decile' then v.predicted_decile
                when 'clv_decile' then v.clv_decile
            end,
            c.number_value, c.number_high), false)
    )
    and not exists (
        select from clv_meta.rule_match_slots as s where s.rule_name = r.family and s.customer_id = v.customer_id
    )
),

in_scope as (
    -- Their conversions in the rule's scope and timeframe before the fit, with the first of all.
    select
        q.family, q.version, q.customer_id, k.conversion_id, k.occurred_at, k.revenue,
        r.outcome_type, r.outcome_amount, r.revenue_type, r.revenue_amount, r.window_days,
        case r.window_from
            when 'scope' then min(k.occurred_at) over (partition by q.family, q.customer_id)
            else (select min(a.occurred_at) from raw.conversions as a where a.customer_id = q.customer_id)
        end as first_conversion_at
    from qualified as q
    join rules as r on r.name = q.name
    join raw.conversions as k on k.customer_id = q.customer_id
    left join raw.offers as o on o.offer_id = k.offer_id
    cross join fit as f
    where k.occurred_at < f.fitted_until
        and (r.offers is null or k.offer_id = any(r.offers))
        and (r.partners is null or k.partner_id = any(r.partners))
        and (r.advertisers is null or o.advertiser_id = any(r.advertisers))
        and (r.starts_at is null or k.occurred_at >= r.starts_at)
        and (r.ends_at is null or k.occurred_at < r.ends_at)
),

latest as (
    select distinct on (family, customer_id) *
    from in_scope
    order by family, customer_id, occurred_at desc, conversion_id desc
)

select
    l.family as rule_name,
    l.version as rule_version,
    l.customer_id,
    l.conversion_id,
    l.outcome_type,
    clv_meta.rule_outcome_amount(l.outcome_type, l.outcome_amount, l.revenue) as amount,
    l.revenue_type,
    clv_meta.rule_outcome_amount(l.revenue_type, l.revenue_amount, l.revenue) as revenue_amount,
    f.fit_id
from latest as l
cross join fit as f
where l.window_days is null or f.fitted_until <= l.first_conversion_at + l.window_days * interval '1 day'

-- description: Final payouts are the default payouts plus what the payout rules' currently paid outcomes add, and every conversion is listed once.
select 'final payout is not default + rules' as problem, p.conversion_id as detail
from analytics.conversion_payouts as p
left join analytics_internal.payout_adjustments as j on j.conversion_id = p.conversion_id
where p.final_payout <> p.default_payout + coalesce(j.adjustment, 0)
union all
select 'conversion missing or repeated', null
where (select count(*) from analytics.conversion_payouts)
    <> (select count(*) from raw.conversions where _load_id <= clv_meta.until_load())

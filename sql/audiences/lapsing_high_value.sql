-- name: lapsing_high_value
-- description: High-value customers with no conversion in the last 60 days whom the BG/NBD model also sees slipping away (P(alive) below 0.5, when clv predict has run).
-- identity: email
-- attributes: first_name, last_name, clv_decile, clv, p_alive, predicted_decile, days_since_last_conversion

select
    h.*,
    round(p.p_alive::numeric, 3) as p_alive,
    p.predicted_decile,
    (current_date - v.last_conversion_at::date) as days_since_last_conversion
from audiences.high_value as h
join analytics.customer_value as v on v.customer_id = h.customer_id
left join analytics.predicted_clv as p on p.customer_id = h.customer_id
where v.last_conversion_at < now() - interval '60 days'
    and (p.customer_id is null or p.p_alive < 0.5)

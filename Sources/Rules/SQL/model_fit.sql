-- Creates clv_model_fit (temporary, one evaluation): the fit being evaluated and the end of its
-- observation day (UTC), as model_rule_matches reads them.
-- parameters: $1 the fit id (bigint), $2 the fit's observation end (date, YYYY-MM-DD)

create temp table clv_model_fit on commit drop as
select $1::bigint as fit_id, ($2::date + 1)::timestamp at time zone 'UTC' as fitted_until

-- Records a model fit with its settings; returns its id.
-- parameters: $1 model ('bg_nbd' or 'gamma_gamma'), $2 parameters (JSON text), $3 log-likelihood,
--   $4 converged (boolean), $5 iterations, $6 customers, $7 distinct summaries (integers),
--   $8 penalizer, $9 observation end (date), $10 unit, $11 purchases (the purchase definition),
--   $12 seconds the fit took

insert into analytics.clv_model_fits (
    model, parameters, log_likelihood, converged, iterations, customers, distinct_summaries,
    penalizer, observation_end, unit, purchases, fit_seconds)
values ($1, $2::jsonb, $3, $4, $5, $6, $7, $8, $9::date, $10, $11, $12)
returning fit_id

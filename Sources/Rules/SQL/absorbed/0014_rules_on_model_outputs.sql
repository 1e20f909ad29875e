-- Payout rules on model outputs (issue #17): conditions on a customer's predicted CLV, P(alive),
-- predicted decile or 365-day CLV decile. Such a rule is evaluated when `clv predict` publishes a
-- fit (evaluated_on 'fits'), not on conversions; its outcome lands on the customer's latest
-- conversion in scope, is paid once, records the fit that triggered it (fit_id), and is never
-- reversed by a later fit.

alter table clv_meta.payout_rules
    add column evaluated_on text not null default 'conversions' check (evaluated_on in ('conversions', 'fits'));

alter table analytics.rule_matches
    add column fit_id bigint references analytics.clv_model_fits;

-- The latest fit's values per customer, for views: `clv predict` replaces analytics.predicted_clv
-- whole, which a view reading it directly would block; a SQL function is resolved when it runs.
create function clv_meta.latest_predictions()
returns table (customer_id text, p_alive double precision, predicted_clv numeric, predicted_decile integer)
language sql stable as $$
    select customer_id, p_alive, predicted_clv, predicted_decile from analytics.predicted_clv
$$;

-- Builds the Modeling module's tables: analytics.clv_model_fits, one row per fitted predicted-CLV
-- model (BG/NBD or Gamma-Gamma) appended by `clv predict`, so every prediction can be traced to its
-- parameters and data; empty analytics.customer_rfm and analytics.predicted_clv, so widgets and
-- audiences that read predictions work (with no rows) before the first `clv predict`, which
-- replaces both; and clv_meta.latest_predictions(), the latest fit's values for views.
-- (Databases made before the module owned these ran the same as project migrations 0003, 0004 and
-- 0010: see absorbed/.)

create schema if not exists analytics;

create table analytics.clv_model_fits (
    fit_id bigint generated always as identity primary key,
    model text not null check (model in ('bg_nbd', 'gamma_gamma')),
    parameters jsonb not null,
    log_likelihood double precision not null,
    converged boolean not null,
    iterations integer not null,
    customers bigint not null,
    distinct_summaries bigint not null,
    penalizer double precision not null,
    observation_end date not null,
    unit text not null check (unit in ('day', 'week')),
    fit_seconds double precision not null,
    fitted_at timestamptz not null default now(),
    -- 'positive-revenue' (a purchase is a revenue event with amount > 0, the project's definition)
    -- or 'any-conversion' (every conversion day, zero revenue included, as in the CDNOW analyses)
    purchases text not null check (purchases in ('positive-revenue', 'any-conversion'))
);

create table analytics.customer_rfm (
    customer_id text primary key,
    observation_end date,
    unit text,
    first_purchase date,
    last_purchase date,
    frequency integer,
    recency double precision,
    t double precision,
    monetary_value numeric
);

create table analytics.predicted_clv (
    customer_id text primary key,
    observation_end date,
    p_alive double precision,
    expected_purchases_12m double precision,
    expected_avg_value numeric,
    predicted_clv numeric,
    predicted_decile integer
);

-- The latest fit's values per customer, for views: `clv predict` replaces analytics.predicted_clv
-- whole, which a view reading it directly would block; a SQL function is resolved when it runs.
create function clv_meta.latest_predictions()
returns table (customer_id text, p_alive double precision, predicted_clv numeric, predicted_decile integer)
language sql stable as $$
    select customer_id, p_alive, predicted_clv, predicted_decile from analytics.predicted_clv
$$;

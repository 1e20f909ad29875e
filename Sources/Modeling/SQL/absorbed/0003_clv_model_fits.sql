-- Builds analytics.clv_model_fits: one row per fitted predicted-CLV model (BG/NBD or Gamma-Gamma),
-- appended by `clv predict`, so every prediction can be traced to its parameters and data.

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
    fitted_at timestamptz not null default now()
);

-- Builds empty analytics.customer_rfm and analytics.predicted_clv, so widgets and audiences that
-- read predictions work (with no rows) before the first `clv predict`, which replaces both.

create table if not exists analytics.customer_rfm (
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

create table if not exists analytics.predicted_clv (
    customer_id text primary key,
    observation_end date,
    p_alive double precision,
    expected_purchases_12m double precision,
    expected_avg_value numeric,
    predicted_clv numeric,
    predicted_decile integer
);

-- name: analytics.predicted_clv
-- description: Per customer: P(alive), expected purchases and discounted CLV over the horizon, and its decile.
-- parameters: $1 Gamma-Gamma p, $2 q, $3 v (the fitted spend model)
--
-- Reads the run's RFM summaries (clv_rfm) and the BG/NBD scores computed once per distinct
-- (frequency, recency_days, t_days) summary (clv_summary_scores). expected_avg_value is the
-- Gamma-Gamma conditional expectation (1 − w)·p·v/(q − 1) + w·monetary_value with
-- w = p·frequency / (p·frequency + q − 1); predicted_clv = expected_avg_value × the discounted
-- expected purchases. The runner renames expected_purchases to expected_purchases_<H>m.

with

scored as (
    select
        r.customer_id,
        r.observation_end,
        s.p_alive,
        s.expected_purchases,
        (1 - w.weight) * $1::float8 * $3::float8 / ($2::float8 - 1) + w.weight * r.monetary_value::float8
            as expected_avg_value,
        s.discounted_purchases
    from clv_rfm as r
    join clv_summary_scores as s
        on s.frequency = r.frequency and s.recency_days = r.recency_days and s.t_days = r.t_days
    cross join lateral (
        select $1::float8 * r.frequency / ($1::float8 * r.frequency + $2::float8 - 1) as weight
    ) as w
),

final as (
    select
        customer_id,                                                            /* Customer id */
        observation_end,                                                        /* Last day of the observation period */
        p_alive,                                                                /* Probability the customer is still active */
        expected_purchases,                                                     /* Expected purchase days over the horizon */
        round(expected_avg_value::numeric, 4) as expected_avg_value,            /* Expected revenue per purchase day */
        round((expected_avg_value * discounted_purchases)::numeric, 4) as predicted_clv,  /* Discounted revenue over the horizon */
        ceil(10 * cume_dist() over (order by round((expected_avg_value * discounted_purchases)::numeric, 4)))::integer
            as predicted_decile                                                 /* ceil(10 × cume_dist()) of predicted CLV: the best is 10, ties share */
    from scored
)

select * from final

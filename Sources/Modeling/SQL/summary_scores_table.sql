-- Creates clv_summary_scores (temporary, one prediction): the BG/NBD scores of each distinct
-- (frequency, recency, T) summary, which the prediction copies in.

create temp table clv_summary_scores (
    frequency integer, recency_days integer, t_days integer,
    p_alive float8, expected_purchases float8, discounted_purchases float8
) on commit drop

-- name: analytics.customer_rfm
-- description: Per customer, as of an observation end date: the RFM summary the BG/NBD and Gamma-Gamma models read.
-- parameters: $1 observation end (date, inclusive), $2 unit ('day' or 'week'), $3 purchases ('positive-revenue' or 'any-conversion')
--
-- Revenue events are postback conversions and manual revenue imports; events after the observation end are ignored.
-- Purchases 'positive-revenue' (issue #16, the project's one definition): a purchase is a revenue event with
-- amount > 0, a purchase day is a UTC date with at least one purchase, and its value is the sum of that day's
-- purchases (refunds are not purchases and do not reduce a purchase day's value).
-- Purchases 'any-conversion' (as in the published CDNOW analyses): every revenue event counts, zero revenue
-- included, so every conversion day is a purchase day, valued at the sum of its revenue.
-- frequency = purchase days after the first; recency = days from the first to the last purchase day;
-- t = days from the first purchase day to the observation end; monetary_value = mean value of
-- the repeat purchase days (0 without repeats). recency and t are divided by 7 for unit 'week'.
-- recency_days and t_days keep the exact day counts the predictions are keyed on.

with

purchase_days as (
    select
        customer_id,
        (occurred_at at time zone 'UTC')::date as day,
        sum(revenue) as revenue
    from analytics_internal.revenue_events
    where customer_id is not null
        and occurred_at < ($1::date + 1)::timestamp at time zone 'UTC'
        and (revenue > 0 or $3::text = 'any-conversion')
    group by customer_id, (occurred_at at time zone 'UTC')::date
),

flagged as (
    select
        customer_id,
        day,
        revenue,
        day = min(day) over (partition by customer_id) as is_first
    from purchase_days
),

per_customer as (
    select
        customer_id,
        min(day) as first_purchase,
        max(day) as last_purchase,
        count(*) - 1 as frequency,
        coalesce(sum(revenue) filter (where not is_first), 0) as repeat_revenue
    from flagged
    group by customer_id
),

final as (
    select
        customer_id,
        $1::date as observation_end,
        $2::text as unit,
        first_purchase,
        last_purchase,
        frequency::integer as frequency,
        (last_purchase - first_purchase)::double precision / case $2::text when 'week' then 7 else 1 end as recency,
        ($1::date - first_purchase)::double precision / case $2::text when 'week' then 7 else 1 end as t,
        case when frequency > 0 then repeat_revenue / frequency else 0 end as monetary_value,
        last_purchase - first_purchase as recency_days,
        $1::date - first_purchase as t_days
    from per_customer
)

select * from final

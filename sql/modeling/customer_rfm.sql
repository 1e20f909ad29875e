-- name: analytics.customer_rfm
-- description: Per customer, as of an observation end date: the RFM summary the BG/NBD and Gamma-Gamma models read.
-- parameters: $1 observation end (date, inclusive), $2 unit ('day' or 'week')
--
-- A purchase day is a UTC date on which the customer's revenue events (postback
-- conversions and manual revenue imports) sum to more than 0; events after the observation end are ignored.
-- frequency = purchase days after the first; recency = days from the first to the last purchase day;
-- t = days from the first purchase day to the observation end; monetary_value = mean revenue of
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
    group by customer_id, (occurred_at at time zone 'UTC')::date
    having sum(revenue) > 0
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

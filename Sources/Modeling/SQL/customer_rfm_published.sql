-- The columns of clv_rfm that analytics.customer_rfm publishes (the day counts stay internal).

select customer_id, observation_end, unit, first_purchase, last_purchase, frequency, recency, t,
    monetary_value
from clv_rfm

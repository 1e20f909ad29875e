-- The distinct (frequency, monetary value) summaries of repeat customers in clv_rfm, with their
-- customer counts: what the Gamma-Gamma model is fitted on.

select frequency, monetary_value::float8 as monetary_value, count(*) as customers
from clv_rfm where frequency > 0 and monetary_value > 0 group by 1, 2

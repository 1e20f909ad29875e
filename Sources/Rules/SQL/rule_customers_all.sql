-- Creates clv_rule_customers (temporary, one evaluation) for a full evaluation: every customer with
-- a conversion.

create temp table clv_rule_customers on commit drop as
select distinct customer_id from raw.conversions where customer_id is not null

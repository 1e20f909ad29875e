-- Creates clv_rule_customers (temporary, one evaluation) for an incremental evaluation: customers
-- with conversions loaded, corrected or deleted between two load watermarks, and those whose paid
-- conversion is gone.
-- parameters: $1 the watermark the rules were last evaluated at (bigint, excluded),
--   $2 the current load watermark (bigint, included)

create temp table clv_rule_customers on commit drop as
select customer_id from raw.conversions
where customer_id is not null and _load_id > $1 and _load_id <= $2
union
-- Deleted or corrected conversions' customers (a correction's old customer too).
select customer_id from raw_history.conversions
where customer_id is not null and _replaced_by > $1 and _replaced_by <= $2
union
select s.customer_id from clv_meta.rule_match_slots as s
where not exists (select 1 from raw.conversions as k where k.conversion_id = s.conversion_id)

-- Creates clv_desired (temporary, one export): the valid members (clv_valid) who may be mailed now,
-- with email consent and not in clv_suppressed. A script: the table, its index, its statistics.

create temp table clv_desired on commit drop as
select v.identity, v.customer_id, v.attributes
from clv_valid as v
join raw.customers as c on c.customer_id = v.customer_id and c.email_opt_in
where not exists (select 1 from clv_suppressed as s where s.identity = v.identity);
create unique index on clv_desired (identity);
analyze clv_desired;

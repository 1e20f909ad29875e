-- Creates clv_valid (temporary, one export): the audience's members (clv_members) whose identity is
-- an email address, one per identity (the smallest customer id wins a duplicate).
-- parameters: $1 the email pattern (a POSIX regular expression)

create temp table clv_valid on commit drop as
select distinct on (identity) identity, customer_id, attributes
from clv_members
where identity ~ $1
order by identity, customer_id

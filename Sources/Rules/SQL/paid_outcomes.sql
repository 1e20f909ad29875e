-- What a rule on conversions has paid a customer, one `conversion: amount (scope key)` text per slot.
-- parameters: $1 the rule's name (its family, text), $2 the customer id (text)

select s.conversion_id || ': ' || s.amount::text || case when s.scope_key <> '' then ' (scope ' || s.scope_key || ')' else '' end as paid
from clv_meta.rule_match_slots as s where s.rule_name = $1 and s.customer_id = $2
order by s.conversion_id

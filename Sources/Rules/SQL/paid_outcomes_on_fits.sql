-- What a rule on model outputs has paid a customer, one text per slot naming the fit it was paid on.
-- parameters: $1 the rule's name (its family, text), $2 the customer id (text)

select s.conversion_id || ': ' || s.amount::text || ' on fit ' || coalesce(m.fit_id::text, '?')
    || ' (evaluated when a fit is published; a later fit that lowers the prediction does not reverse it)'
    as paid
from clv_meta.rule_match_slots as s join analytics.rule_matches as m on m.match_id = s.match_id
where s.rule_name = $1 and s.customer_id = $2

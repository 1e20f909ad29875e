-- Creates clv_rule_reverse (temporary, one evaluation): the paid slots of the evaluated customers and
-- rules whose outcome no longer holds (the customer no longer qualifies, the paid conversion is gone,
-- or its payout or revenue amount changed). A once-only outcome that still holds stays where it was
-- paid, even if a late conversion would now complete it earlier.

create temp table clv_rule_reverse on commit drop as
select s.*
from clv_meta.rule_match_slots as s
join clv_rule_customers as c on c.customer_id = s.customer_id
where s.rule_name in (
    select r.family from clv_meta.payout_rules as r join clv_rule_set as t on t.rule_name = r.name
)
and not exists (
    select 1 from clv_rule_desired_matches as d
    where d.rule_name = s.rule_name and d.customer_id = s.customer_id and d.scope_key = s.scope_key
        and d.slot_key = s.slot_key
        and (
            (d.conversion_id = s.conversion_id and d.amount = s.amount and d.revenue_amount = s.revenue_amount)
            or (d.conversion_id <> s.conversion_id and exists (
                select 1 from clv_rule_facts as f
                join clv_meta.payout_rules as r on r.name = f.rule_name
                where r.family = s.rule_name and f.conversion_id = s.conversion_id))
        )
)

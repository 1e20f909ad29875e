-- Frees the slots of the outcomes in clv_rule_reverse, once their reversals are appended.

delete from clv_meta.rule_match_slots as s
using clv_rule_reverse as r
where s.rule_name = r.rule_name and s.customer_id = r.customer_id and s.scope_key = r.scope_key
    and s.slot_key = r.slot_key

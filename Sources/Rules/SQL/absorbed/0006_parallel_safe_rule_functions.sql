-- Marks the payout-rule helper functions parallel safe, so the rule evaluation can use parallel
-- workers (a function that is not keeps the whole query on one core).

alter function clv_meta.rule_number(jsonb) parallel safe;
alter function clv_meta.rule_text_holds(text, text, text, text[]) parallel safe;
alter function clv_meta.rule_number_holds(text, numeric, numeric, numeric) parallel safe;

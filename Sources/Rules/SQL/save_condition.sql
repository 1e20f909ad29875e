-- Saves a condition of a rule version.
-- parameters: $1 the rule version's name, $2 position (integer), $3 subject, $4 parameter (or null),
--   $5 value_type, $6 logic, $7 operator, $8 text_value (or null), $9 text_values (array literal or
--   null), $10 number_value, $11 number_high (numeric or null), $12 group_id (0: the top level),
--   $13 events (array literal or null)

insert into clv_meta.rule_conditions (
    rule_name, position, subject, parameter, value_type, logic, operator, text_value, text_values,
    number_value, number_high, group_id, events)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10::numeric, $11::numeric, $12, $13::text[])

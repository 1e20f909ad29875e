-- Saves a condition group of a rule version.
-- parameters: $1 the rule version's name, $2 the group's id, $3 the enclosing group's id (0: the top level),
--   $4 how its members combine ('all' or 'any')

insert into clv_meta.rule_condition_groups (rule_name, group_id, parent_id, combine)
values ($1, $2, $3, $4)

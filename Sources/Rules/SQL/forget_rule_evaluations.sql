-- Deletes the evaluation records of every version of the given rules.
-- parameters: $1 the rules' names (their families, text[])

delete from clv_meta.rule_evaluations
where rule_name in (select name from clv_meta.payout_rules where family = any($1::text[]))

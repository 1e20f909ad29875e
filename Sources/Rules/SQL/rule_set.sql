-- Creates clv_rule_set (temporary, one evaluation): every active version of the rules on conversions
-- whose current version is active; each version judges the conversions of its own time.

create temp table clv_rule_set on commit drop as
select v.name as rule_name from clv_meta.payout_rules as v
join clv_meta.payout_rules as c on c.family = v.family and c.superseded_at is null and c.status = 'active'
where v.status = 'active' and v.evaluated_on = 'conversions'

-- How many rules on model outputs are active in their current version.

select count(*) as n from clv_meta.payout_rules
where evaluated_on = 'fits' and status = 'active' and superseded_at is null

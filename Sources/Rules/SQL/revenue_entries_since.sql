-- How many ledger entries after a match id change booked revenue.
-- parameters: $1 the last match id before the evaluation (bigint)

select count(*) as n from analytics.rule_matches where match_id > $1 and revenue_amount <> 0

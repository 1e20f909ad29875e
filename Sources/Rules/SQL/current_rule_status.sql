-- A rule's current version: its status, versioned name and what it is evaluated on.
-- parameters: $1 the rule's name (its family, text)

select status, name, evaluated_on from clv_meta.payout_rules where family = $1 and superseded_at is null

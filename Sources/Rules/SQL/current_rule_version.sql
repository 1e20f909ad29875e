-- A rule's current version number and checksum (no row for a new rule).
-- parameters: $1 the rule's name (its family, text)

select version, checksum from clv_meta.payout_rules where family = $1 and superseded_at is null

-- Marks a rule's current version superseded now, before its next version is saved.
-- parameters: $1 the rule's name (its family, text)

update clv_meta.payout_rules set superseded_at = now() where family = $1 and superseded_at is null

-- Saves a version of a payout rule.
-- parameters: $1 family (the rule's name), $2 version (integer), $3 the version's name, $4 file,
--   $5 status ('active' or 'inactive'), $6 separately_by, $7 offers, $8 partners, $9 advertisers
--   (array literals or null), $10 starts (date or null), $11 ends (date, included, or null),
--   $12 goal_cycle, $13 window_days (integer or null), $14 window_from, $15 frequency, $16 apply_on,
--   $17 apply_on_events (array literal or null), $18 outcome_type, $19 outcome_amount,
--   $20 revenue_type, $21 revenue_amount (null when the rule has no such outcome),
--   $22 evaluated_on ('conversions' or 'fits'), $23 checksum

insert into clv_meta.payout_rules (
    family, version, name, file, status, separately_by, offers, partners, advertisers, starts_at, ends_at, goal_cycle,
    window_days, window_from, frequency, apply_on, apply_on_events, outcome_type, outcome_amount,
    revenue_type, revenue_amount, evaluated_on, checksum)
values (
    $1, $2, $3, $4, $5, $6, $7::text[], $8::text[], $9::text[], $10::date::timestamptz,
    ($11::date + 1)::timestamptz, $12, $13, $14, $15, $16, $17::text[], $18, $19::numeric, $20,
    $21::numeric, $22, $23)

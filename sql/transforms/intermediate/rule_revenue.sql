-- name: analytics_internal.rule_revenue
-- materialized: incremental
-- unique_key: conversion_id
-- keeps_changes: true
-- indexes: (customer_id)
-- depends_on: analytics_internal.payout_adjustments, analytics.attributed_conversions, analytics.rule_matches
-- changes_by: analytics.rule_matches.revenue_entry
-- recompute: conversion_id from analytics.rule_matches, analytics.attributed_conversions
-- description: What the payout rules' revenue outcomes change on each conversion (final − reported revenue), as of this run: the revenue ledger's third kind of row. Conversions whose revenue no rule changes have none.

-- Rule outcomes are written by `clv rules evaluate` into the append-only analytics.rule_matches;
-- entries that change booked revenue (matches and reversals alike) are numbered in revenue_entry,
-- so the conversions to look at again are those with entries past the last build's mark, and
-- those whose attribution changed (customer, date).
-- Kept as a table, not read live, so every materialized reader of the ledger moves in the same run.

select
    conversion_id,                                                       /* Conversion */
    customer_id,                                                         /* Its customer */
    click_id,                                                            /* Its click, when attributed */
    occurred_at,                                                         /* When it happened */
    revenue_adjustment                                                   /* final revenue − reported revenue */
from analytics_internal.payout_adjustments
where revenue_adjustment <> 0

-- Records a planned export with its counts: 'running', or 'stopped' (finished now) with the reason
-- when the blast-radius guard stopped it; returns its id.
-- parameters: $1 audience, $2 destination, $3 mode ('diff' or 'full'), $4 status ('running' or
--   'stopped'), $5 members before, $6 rows read, $7 invalid emails, $8 duplicates, $9 suppressed,
--   $10 added, $11 changed, $12 removed, $13 unchanged (integers), $14 why it stopped (or null),
--   $15 whether it stopped (boolean)

insert into clv_meta.audience_exports (
    audience, destination, mode, status, members_before, rows_read, invalid_emails, duplicates,
    suppressed, added, changed, removed, unchanged, error, finished_at)
values (
    $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
    case when $15 then clock_timestamp() end)
returning export_id

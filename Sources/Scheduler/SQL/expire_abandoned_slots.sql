-- Releases a schedule's running slots whose lease expired (their daemon died): due for retry while
-- attempts remain, failed otherwise; returns each slot with its attempt.
-- parameters: $1 the schedule's attempts (integer), $2 now (timestamptz), $3 the schedule (text)

update clv_meta.schedule_slots
set status = case when attempt < $1 then 'retry' else 'failed' end,
    next_attempt_at = $2, error = 'abandoned: the daemon holding it stopped renewing its lease'
where schedule = $3 and status = 'running' and lease_until < $2
returning slot, attempt

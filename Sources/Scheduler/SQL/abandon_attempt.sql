-- Marks an attempt whose daemon stopped renewing its lease abandoned.
-- parameters: $1 now (timestamptz), $2 the schedule (text), $3 the slot (timestamptz), $4 the attempt (integer)

update clv_meta.schedule_attempts set status = 'abandoned', finished_at = $1,
    error = 'the daemon stopped renewing its lease'
where schedule = $2 and slot = $3 and attempt = $4 and status = 'running'

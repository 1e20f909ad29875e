-- Records how an attempt ended, now, with its error and each step's result.
-- parameters: $1 the status (text), $2 the error (text or null), $3 the steps (JSON text),
--   $4 the schedule (text), $5 the slot (timestamptz), $6 the attempt (integer)

update clv_meta.schedule_attempts set status = $1, finished_at = clock_timestamp(), error = $2, steps = $3::jsonb
where schedule = $4 and slot = $5 and attempt = $6

-- Records how a slot's attempt ended: finished now in its status, or due for retry at a time.
-- parameters: $1 the status ('retry' when retried), $2 whether it is retried (boolean), $3 when the
--   retry is due (timestamptz), $4 the error (text or null), $5 the schedule (text), $6 the slot (timestamptz)

update clv_meta.schedule_slots
set status = $1,
    finished_at = case when $2::boolean then null else clock_timestamp() end,
    next_attempt_at = case when $2::boolean then $3::timestamptz end,
    lease_until = null, error = $4
where schedule = $5 and slot = $6

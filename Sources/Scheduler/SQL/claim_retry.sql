-- Claims the slot due for retry longest (of the given schedules) for a daemon, skipping slots another
-- daemon is claiming, as its next attempt; returns the schedule, slot and attempt.
-- parameters: $1 the daemon's id (text), $2 the lease's end (timestamptz), $3 now (timestamptz),
--   $4 the schedules (text[] literal)

update clv_meta.schedule_slots as s
set status = 'running', attempt = s.attempt + 1, daemon = $1,
    lease_until = $2, next_attempt_at = null
where (s.schedule, s.slot) = (
    select schedule, slot from clv_meta.schedule_slots
    where status = 'retry' and next_attempt_at <= $3 and schedule = any($4::text[])
    order by next_attempt_at, schedule, slot limit 1 for update skip locked)
returning s.schedule, s.slot, s.attempt

-- Claims a due slot for a daemon, first attempt, unless another daemon recorded it first (one
-- daemon wins the primary key); returns the slot when claimed.
-- parameters: $1 the schedule (text), $2 the slot (timestamptz), $3 the daemon's id (text),
--   $4 the lease's end (timestamptz), $5 now (timestamptz)

insert into clv_meta.schedule_slots (schedule, slot, status, attempt, daemon, lease_until, started_at)
values ($1, $2, 'running', 1, $3, $4, $5)
on conflict do nothing returning slot

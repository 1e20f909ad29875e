-- Records a slot run at once in the foreground (`clv schedule run`), first attempt, under a lease.
-- parameters: $1 the schedule (text), $2 the slot, now (timestamptz), $3 the daemon's id (text),
--   $4 the lease's end (timestamptz)

insert into clv_meta.schedule_slots (schedule, slot, status, attempt, daemon, lease_until, started_at)
values ($1, $2, 'running', 1, $3, $4, $2)

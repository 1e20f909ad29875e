-- Records a slot in a final status (e.g. skipped) finished now, unless it is already recorded.
-- parameters: $1 the schedule (text), $2 the slot (timestamptz), $3 the status, $4 the daemon's id,
--   $5 why (text)

insert into clv_meta.schedule_slots (schedule, slot, status, daemon, finished_at, error)
values ($1, $2, $3, $4, clock_timestamp(), $5) on conflict do nothing

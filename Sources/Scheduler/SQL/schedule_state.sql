-- A schedule's state: when a daemon first saw it, its latest recorded slot, and whether a slot of it
-- is running under a live lease.
-- parameters: $1 the schedule (text), $2 now (timestamptz)

select (select first_seen from clv_meta.schedules where schedule = $1) as first_seen,
       (select max(slot) from clv_meta.schedule_slots where schedule = $1) as last_slot,
       exists (select 1 from clv_meta.schedule_slots where schedule = $1
               and status = 'running' and lease_until > $2) as busy

-- Extends the lease of a running slot its daemon holds.
-- parameters: $1 the lease's new end (timestamptz), $2 the schedule (text), $3 the slot (timestamptz),
--   $4 the daemon's id (text)

update clv_meta.schedule_slots set lease_until = $1
where schedule = $2 and slot = $3 and daemon = $4 and status = 'running'

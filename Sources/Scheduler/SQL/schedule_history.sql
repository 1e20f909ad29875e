-- The latest slots of a schedule (or of every schedule), newest first, each with its attempts as a
-- JSON array (times in UTC, ISO 8601).
-- parameters: $1 the schedule (text), or null for every schedule, $2 how many slots (integer)

select s.schedule, s.slot, s.status, s.error,
       coalesce(jsonb_agg(jsonb_build_object(
           'attempt', a.attempt, 'daemon', a.daemon, 'status', a.status,
           'startedAt', to_char(a.started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           'finishedAt', to_char(a.finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           'error', a.error, 'steps', a.steps) order by a.attempt) filter (where a.attempt is not null), '[]')::text as attempts
from clv_meta.schedule_slots s
left join clv_meta.schedule_attempts a using (schedule, slot)
where $1::text is null or s.schedule = $1
group by s.schedule, s.slot, s.status, s.error
order by s.slot desc, s.schedule limit $2

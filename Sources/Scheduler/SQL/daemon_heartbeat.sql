-- Registers a daemon, or records that it is alive.
-- parameters: $1 the daemon's id, $2 its host (text), $3 its process id (integer), $4 now (timestamptz)

insert into clv_meta.daemons (daemon, host, pid, heartbeat_at) values ($1, $2, $3, $4)
on conflict (daemon) do update set heartbeat_at = excluded.heartbeat_at

-- builds: upgrade 3 of the one clv_meta upgrade list clv kept before modules owned their tables;
-- applied only to finish a database an older clv left below upgrade 10.

-- One row per scheduled slot: its primary key is what makes a slot run once across daemons.
create table clv_meta.schedule_slots (
    schedule text not null,
    slot timestamptz not null,
    status text not null check (status in ('running', 'retry', 'success', 'failed', 'timed_out', 'skipped')),
    attempt integer not null default 0,
    daemon text,
    lease_until timestamptz,
    next_attempt_at timestamptz,
    started_at timestamptz,
    finished_at timestamptz,
    error text,
    primary key (schedule, slot)
);
create table clv_meta.schedule_attempts (
    schedule text not null,
    slot timestamptz not null,
    attempt integer not null,
    daemon text not null,
    status text not null check (status in ('running', 'success', 'failed', 'timed_out', 'abandoned')),
    started_at timestamptz not null default clock_timestamp(),
    finished_at timestamptz,
    error text,
    steps jsonb not null default '[]',
    primary key (schedule, slot, attempt),
    foreign key (schedule, slot) references clv_meta.schedule_slots on delete cascade
);
-- When a daemon first saw each schedule: a new schedule starts from there, with no backfill.
create table clv_meta.schedules (
    schedule text primary key,
    first_seen timestamptz not null
);
create table clv_meta.daemons (
    daemon text primary key,
    host text not null,
    pid integer not null,
    started_at timestamptz not null default clock_timestamp(),
    heartbeat_at timestamptz not null default clock_timestamp()
);

-- builds: clv's own bookkeeping in clv_meta — the project's migrations ledger, load ids and the
-- ingest barrier, the step settings transforms read, runs, run steps and each transform's state —
-- and the clv_staging and clv_changes schemas the engine builds in.

create schema if not exists clv_staging;
create schema if not exists clv_changes;

create table clv_meta.migrations (
    version integer primary key,
    name text not null,
    checksum text not null,
    applied_at timestamptz not null default clock_timestamp(),
    duration_ms bigint not null
);

-- Every ingested row carries a load id from this sequence; a transform remembers the highest id it
-- has seen (its watermark) to find new facts.
create sequence clv_meta.load_seq;

-- Writers take the ingest barrier (LockKeys.ingestBarrier) shared; clv run takes it exclusively
-- for an instant to read a watermark below which every load id is committed or rolled back.
create function clv_meta.next_load_id() returns bigint language plpgsql volatile as $$
begin
    perform pg_advisory_xact_lock_shared(7263540001);
    return nextval('clv_meta.load_seq');
end $$;

-- The step settings of a build (transaction-local, set by the engine). Immutable, so the planner
-- folds each call into a constant when it plans a statement: it then estimates `_load_id > since`
-- from the statistics (a few thousand new rows, looked up by index) instead of guessing for an
-- unknown parameter and hashing whole fact tables. No prepared statement or stored function keeps
-- a plan that uses them. Parallel safe: otherwise every query calling them runs on one core.
create function clv_meta.since_load() returns bigint language sql immutable parallel safe as $$
    select coalesce(nullif(current_setting('clv.since_load', true), '')::bigint, 0)
$$;
create function clv_meta.until_load() returns bigint language sql immutable parallel safe as $$
    select coalesce(nullif(current_setting('clv.until_load', true), '')::bigint, 9223372036854775807)
$$;
create function clv_meta.as_of() returns timestamptz language sql immutable parallel safe as $$
    select coalesce(nullif(current_setting('clv.as_of', true), '')::timestamptz, now())
$$;
create function clv_meta.is_incremental() returns boolean language sql immutable parallel safe as $$
    select coalesce(current_setting('clv.is_incremental', true) = 'on', false)
$$;
-- For incremental transforms: the transform's own previous build (its change logs are read past
-- it) and the reference time that build used (so a moved window can be followed).
create function clv_meta.since_build() returns bigint language sql immutable parallel safe as $$
    select coalesce(nullif(current_setting('clv.since_build', true), '')::bigint, 0)
$$;
create function clv_meta.previous_as_of() returns timestamptz language sql immutable parallel safe as $$
    select coalesce(nullif(current_setting('clv.previous_as_of', true), '')::timestamptz, clv_meta.as_of())
$$;
-- Sources clv does not load (no _load_id) may declare a change column (`-- changes_by:
-- raw.orders.updated_at`): a build records its highest value, and the next incremental build reads
-- rows past it through clv_meta.since_mark('raw.orders') (NULL on full builds).
create function clv_meta.since_mark(source text) returns text language sql immutable parallel safe as $$
    select nullif(current_setting('clv.source_marks', true), '')::jsonb ->> source
$$;

-- A transform's own published rows as JSON (none before its first build), for transforms that
-- derive their new rows from their previous ones: the relation need not exist when the SQL reading
-- it is planned.
create function clv_meta.previous_rows(relation text) returns setof jsonb language plpgsql stable as $$
begin
    if to_regclass(relation) is not null then
        return query execute format('select to_jsonb(t) from %s as t', to_regclass(relation));
    end if;
end $$;

create table clv_meta.runs (
    run_id bigserial primary key,
    command text not null,
    status text not null check (status in ('running', 'success', 'failed', 'abandoned')),
    as_of timestamptz not null,
    load_watermark bigint,
    started_at timestamptz not null default clock_timestamp(),
    finished_at timestamptz,
    error text,
    pid integer not null default pg_backend_pid()
);

create table clv_meta.run_steps (
    run_id bigint not null references clv_meta.runs,
    transform text not null,
    version text not null,
    materialized text not null,
    mode text not null,
    reason text not null,
    status text not null check (status in ('running', 'success', 'failed')),
    started_at timestamptz not null default clock_timestamp(),
    finished_at timestamptz,
    rows bigint,
    error text,
    primary key (run_id, transform)
);

create sequence clv_meta.build_seq;

-- Each transform's last build. reset_seq: the build sequence number of its last full build (or
-- view definition): an incremental reader built before it cannot trust its own state or the
-- emptied change records. source_marks: the highest change-column value of each untracked source.
create table clv_meta.transform_state (
    transform text primary key,
    version text not null,
    materialized text not null,
    build_seq bigint not null,
    load_watermark bigint not null,
    as_of timestamptz not null,
    run_id bigint not null references clv_meta.runs,
    built_at timestamptz not null default clock_timestamp(),
    rows bigint,
    reset_seq bigint not null default 0,
    source_marks jsonb not null default '{}'
);

import PostgresClient

/// The tool's own tables in `clv_meta`, created and upgraded before any command uses them.
///
/// Each entry is applied once, in order, recorded in `clv_meta.meta_version`; entries are
/// append-only like the project's migrations.
public enum MetaSchema {
    static let versions: [String] = [
        """
        create schema if not exists clv_staging;
        create table clv_meta.migrations (
            version integer primary key,
            name text not null,
            checksum text not null,
            applied_at timestamptz not null default clock_timestamp(),
            duration_ms bigint not null
        );
        -- Every ingested row carries a load id from this sequence; a transform remembers the
        -- highest id it has seen (its watermark) to find new facts.
        create sequence clv_meta.load_seq;
        create function clv_meta.next_load_id() returns bigint language plpgsql volatile as $$
        begin
            -- Writers take the ingest barrier shared; clv run takes it exclusively for an instant to
            -- read a watermark below which every load id is committed or rolled back.
            perform pg_advisory_xact_lock_shared(7263540001);
            return nextval('clv_meta.load_seq');
        end $$;
        create function clv_meta.since_load() returns bigint language sql stable as $$
            select coalesce(nullif(current_setting('clv.since_load', true), '')::bigint, 0)
        $$;
        create function clv_meta.until_load() returns bigint language sql stable as $$
            select coalesce(nullif(current_setting('clv.until_load', true), '')::bigint, 9223372036854775807)
        $$;
        create function clv_meta.as_of() returns timestamptz language sql stable as $$
            select coalesce(nullif(current_setting('clv.as_of', true), '')::timestamptz, now())
        $$;
        create function clv_meta.is_incremental() returns boolean language sql stable as $$
            select coalesce(current_setting('clv.is_incremental', true) = 'on', false)
        $$;
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
        create table clv_meta.transform_state (
            transform text primary key,
            version text not null,
            materialized text not null,
            build_seq bigint not null,
            load_watermark bigint not null,
            as_of timestamptz not null,
            run_id bigint not null references clv_meta.runs,
            built_at timestamptz not null default clock_timestamp(),
            rows bigint
        );
        """,
        """
        create table clv_meta.loads (
            load_id bigint primary key,
            kind text not null,
            source text,
            file text not null,
            format text not null,
            checksum text not null,
            rows_read bigint not null,
            inserted bigint not null,
            updated bigint not null,
            duplicates bigint not null,
            rejected bigint not null,
            seconds double precision not null,
            loaded_at timestamptz not null default clock_timestamp()
        );
        create index on clv_meta.loads (kind, checksum);
        """,
        """
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
        """,
        """
        -- Audience exports: what each destination last acknowledged, and each export's change set,
        -- kept until delivered so a killed export resumes without losing or repeating a change.
        create table clv_meta.audience_exports (
            export_id bigserial primary key,
            audience text not null,
            destination text not null,
            mode text not null check (mode in ('diff', 'full')),
            status text not null check (status in ('running', 'success', 'failed', 'stopped')),
            members_before bigint not null default 0,
            rows_read bigint not null default 0,
            invalid_emails bigint not null default 0,
            duplicates bigint not null default 0,
            suppressed bigint not null default 0,
            added bigint not null default 0,
            changed bigint not null default 0,
            removed bigint not null default 0,
            unchanged bigint not null default 0,
            skipped_at_send bigint not null default 0,
            batches integer not null default 0,
            delivered_batches integer not null default 0,
            started_at timestamptz not null default clock_timestamp(),
            finished_at timestamptz,
            error text
        );
        -- At most one unfinished export per audience and destination: the next run resumes it.
        create unique index audience_exports_one_running on clv_meta.audience_exports (audience, destination)
            where status = 'running';
        create table clv_meta.audience_changes (
            export_id bigint not null references clv_meta.audience_exports on delete cascade,
            seq bigint not null,
            batch integer not null,
            identity text not null,
            customer_id text,
            action text not null check (action in ('add', 'update', 'remove')),
            attributes jsonb not null default '{}',
            delivered boolean not null default false,
            primary key (export_id, seq)
        );
        create index on clv_meta.audience_changes (export_id, batch);
        create table clv_meta.audience_members (
            audience text not null,
            destination text not null,
            identity text not null,
            customer_id text,
            attributes jsonb not null,
            export_id bigint not null,
            acknowledged_at timestamptz not null default clock_timestamp(),
            primary key (audience, destination, identity)
        );
        """,
        """
        -- Parallel safe: a function that is not (the default) keeps every query calling it, and so
        -- every transform, on one core.
        alter function clv_meta.since_load() parallel safe;
        alter function clv_meta.until_load() parallel safe;
        alter function clv_meta.as_of() parallel safe;
        alter function clv_meta.is_incremental() parallel safe;
        """,
        """
        -- For incremental transforms: the transform's own previous build (its changes logs are read
        -- past it) and the reference time that build used (so a moved window can be followed).
        create function clv_meta.since_build() returns bigint language sql stable parallel safe as $$
            select coalesce(nullif(current_setting('clv.since_build', true), '')::bigint, 0)
        $$;
        create function clv_meta.previous_as_of() returns timestamptz language sql stable parallel safe as $$
            select coalesce(nullif(current_setting('clv.previous_as_of', true), '')::timestamptz, clv_meta.as_of())
        $$;
        create schema if not exists clv_changes;
        """,
        """
        -- Immutable, so the planner folds each call into a constant when it plans a statement: it
        -- then estimates `_load_id > since` from the statistics (a few thousand new rows, looked up
        -- by index) instead of guessing for an unknown parameter and hashing whole fact tables.
        -- Their settings are transaction-local and fixed for a build step, and no prepared
        -- statement or stored function keeps a plan that uses them.
        alter function clv_meta.since_load() immutable;
        alter function clv_meta.until_load() immutable;
        alter function clv_meta.as_of() immutable;
        alter function clv_meta.is_incremental() immutable;
        alter function clv_meta.since_build() immutable;
        alter function clv_meta.previous_as_of() immutable;
        """,
        """
        -- A transform's own published rows as JSON (none before its first build), for transforms
        -- that derive their new rows from their previous ones: the relation need not exist when the
        -- SQL reading it is planned.
        create function clv_meta.previous_rows(relation text) returns setof jsonb language plpgsql stable as $$
        begin
            if to_regclass(relation) is not null then
                return query execute format('select to_jsonb(t) from %s as t', to_regclass(relation));
            end if;
        end $$;
        """,
        """
        -- The build sequence number of a transform's last full build (or view definition): an
        -- incremental reader built before it cannot trust its own state or the emptied change records.
        alter table clv_meta.transform_state add column reset_seq bigint not null default 0;
        update clv_meta.transform_state set reset_seq = build_seq;
        """,
        """
        -- Sources clv does not load (no _load_id) may declare a change column (`-- changes_by:
        -- raw.orders.updated_at`): a build records its highest value, and the next incremental
        -- build reads rows past it through clv_meta.since_mark('raw.orders') (NULL on full builds).
        alter table clv_meta.transform_state add column source_marks jsonb not null default '{}';
        create function clv_meta.since_mark(source text) returns text language sql immutable parallel safe as $$
            select nullif(current_setting('clv.source_marks', true), '')::jsonb ->> source
        $$;
        """,
    ]

    /// Creates or upgrades `clv_meta`. Safe to run concurrently.
    public static func ensure(on connection: PostgresConnection) async throws {
        try await connection.withAdvisoryLock(LockKeys.migration) {
            try await connection.executeScript(
                """
                create schema if not exists clv_meta;
                create table if not exists clv_meta.meta_version (
                    version integer primary key,
                    applied_at timestamptz not null default clock_timestamp()
                );
                """)
            let current = try await connection.query(
                "select coalesce(max(version), 0) as v from clv_meta.meta_version")[0]
                .decode(Int.self, "v")
            for (index, script) in versions.enumerated() where index + 1 > current {
                try await connection.transaction { connection in
                    try await connection.executeScript(script)
                    try await connection.execute("insert into clv_meta.meta_version (version) values (\(index + 1))")
                }
            }
        }
    }
}

-- builds: upgrade 4 of the one clv_meta upgrade list clv kept before modules owned their tables;
-- applied only to finish a database an older clv left below upgrade 10.

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

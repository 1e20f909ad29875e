-- builds: upgrade 2 of the one clv_meta upgrade list clv kept before modules owned their tables;
-- applied only to finish a database an older clv left below upgrade 10.

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

-- builds: upgrade 9 of the one clv_meta upgrade list clv kept before modules owned their tables;
-- applied only to finish a database an older clv left below upgrade 10.

-- The build sequence number of a transform's last full build (or view definition): an
-- incremental reader built before it cannot trust its own state or the emptied change records.
alter table clv_meta.transform_state add column reset_seq bigint not null default 0;
update clv_meta.transform_state set reset_seq = build_seq;

-- builds: upgrade 10 of the one clv_meta upgrade list clv kept before modules owned their tables;
-- applied only to finish a database an older clv left below upgrade 10.

-- Sources clv does not load (no _load_id) may declare a change column (`-- changes_by:
-- raw.orders.updated_at`): a build records its highest value, and the next incremental
-- build reads rows past it through clv_meta.since_mark('raw.orders') (NULL on full builds).
alter table clv_meta.transform_state add column source_marks jsonb not null default '{}';
create function clv_meta.since_mark(source text) returns text language sql immutable parallel safe as $$
    select nullif(current_setting('clv.source_marks', true), '')::jsonb ->> source
$$;

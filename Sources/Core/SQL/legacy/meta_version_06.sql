-- builds: upgrade 6 of the one clv_meta upgrade list clv kept before modules owned their tables;
-- applied only to finish a database an older clv left below upgrade 10.

-- For incremental transforms: the transform's own previous build (its changes logs are read
-- past it) and the reference time that build used (so a moved window can be followed).
create function clv_meta.since_build() returns bigint language sql stable parallel safe as $$
    select coalesce(nullif(current_setting('clv.since_build', true), '')::bigint, 0)
$$;
create function clv_meta.previous_as_of() returns timestamptz language sql stable parallel safe as $$
    select coalesce(nullif(current_setting('clv.previous_as_of', true), '')::timestamptz, clv_meta.as_of())
$$;
create schema if not exists clv_changes;

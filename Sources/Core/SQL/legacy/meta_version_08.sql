-- builds: upgrade 8 of the one clv_meta upgrade list clv kept before modules owned their tables;
-- applied only to finish a database an older clv left below upgrade 10.

-- A transform's own published rows as JSON (none before its first build), for transforms
-- that derive their new rows from their previous ones: the relation need not exist when the
-- SQL reading it is planned.
create function clv_meta.previous_rows(relation text) returns setof jsonb language plpgsql stable as $$
begin
    if to_regclass(relation) is not null then
        return query execute format('select to_jsonb(t) from %s as t', to_regclass(relation));
    end if;
end $$;

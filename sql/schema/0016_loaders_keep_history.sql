-- The loader records the row versions its merges replace in raw_history itself (with the load id
-- as _replaced_by), so it works where triggers cannot run (distributed tables). The triggers stay
-- for corrections and deletions made by hand: they leave a statement alone when the loader says,
-- with the transaction setting clv.loader_keeps_history, that it recorded that statement's changes.

create or replace function clv_meta.keep_replaced_rows() returns trigger language plpgsql as $$
begin
    if coalesce(current_setting('clv.loader_keeps_history', true), '') <> 'on'
        and exists (select from replaced) then
        execute format(
            'insert into raw_history.%I select r.*, (select clv_meta.next_load_id()) from replaced as r',
            tg_table_name);
    end if;
    return null;
end $$;

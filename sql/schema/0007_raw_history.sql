-- Keeps the version of a raw row that an update or a delete replaced, in raw_history.<table>, with
-- the load id of the statement that replaced it (_replaced_by). Incremental transforms read it to
-- find the keys a correction or a deletion touched (a corrected conversion's old customer, a
-- deleted conversion) and to subtract what a row used to add. Inserts cost nothing: only the
-- statements that update or delete rows fill a transition table. clv run deletes history that
-- every transform has seen.

create schema if not exists raw_history;

create function clv_meta.keep_replaced_rows() returns trigger language plpgsql as $$
begin
    if exists (select from replaced) then
        execute format(
            'insert into raw_history.%I select r.*, (select clv_meta.next_load_id()) from replaced as r',
            tg_table_name);
    end if;
    return null;
end $$;

-- An update that does not set a new load id (a correction by hand) gets one, so the changed row
-- counts as new for the next incremental build.
create function clv_meta.stamp_load_id() returns trigger language plpgsql as $$
begin
    new._load_id := clv_meta.next_load_id();
    return new;
end $$;

do $$
declare
    t text;
begin
    foreach t in array array['customers', 'offers', 'clicks', 'message_sends', 'email_events', 'conversions', 'revenue_imports'] loop
        execute format('create table raw_history.%I (like raw.%I)', t, t);
        execute format('alter table raw_history.%I add column _replaced_by bigint not null', t);
        execute format('create index on raw_history.%I (_replaced_by)', t);
        execute format(
            'create trigger stamp_updated_rows before update on raw.%I for each row '
            'when (new._load_id = old._load_id) execute function clv_meta.stamp_load_id()', t);
        execute format(
            'create trigger keep_updated_rows after update on raw.%I referencing old table as replaced '
            'for each statement execute function clv_meta.keep_replaced_rows()', t);
        execute format(
            'create trigger keep_deleted_rows after delete on raw.%I referencing old table as replaced '
            'for each statement execute function clv_meta.keep_replaced_rows()', t);
    end loop;
end $$;

-- Lookups the incremental transforms make by key. A changed customer's conversions are read from
-- the customer_id index alone (it carries what per-customer values need).
drop index raw.conversions_customer_id_idx;
create index conversions_customer_id_idx on raw.conversions (customer_id) include (occurred_at, revenue, payout, _load_id);
create index on raw.clicks (message_id);
create index on raw.clicks (offer_id);
create index on raw.clicks (contact);
create index on raw.message_sends (contact);
create index on raw.conversions (offer_id);
create index on raw.customers (lower(btrim(email)));
create index on raw.email_events (lower(btrim(contact)));

-- Statistics for the expression indexes, so lookups by address are estimated as a few rows.
analyze raw.customers;
analyze raw.email_events;

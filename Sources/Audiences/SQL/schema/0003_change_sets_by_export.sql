-- builds: clv_meta.audience_changes partitioned by export: each export's change set is its own
-- table (audience_changes_<export id>), written in the transaction that creates it and dropped
-- when the export is delivered, instead of a million rows inserted into and deleted from one
-- shared table.

alter table clv_meta.audience_changes rename to audience_changes_before_0003;
alter table clv_meta.audience_changes_before_0003 rename constraint audience_changes_pkey to audience_changes_before_0003_pkey;

create table clv_meta.audience_changes (
    export_id bigint not null,
    seq bigint not null,
    batch integer not null,
    identity text not null,
    customer_id text,
    action text not null check (action in ('add', 'update', 'remove', 'skip')),
    attributes jsonb not null default '{}',
    primary key (export_id, seq)
) partition by list (export_id);

do $$
declare
    export bigint;
begin
    for export in select distinct export_id from clv_meta.audience_changes_before_0003 loop
        execute format(
            'create table clv_meta.audience_changes_%s partition of clv_meta.audience_changes for values in (%s)',
            export, export);
    end loop;
end $$;

insert into clv_meta.audience_changes (export_id, seq, batch, identity, customer_id, action, attributes)
select export_id, seq, batch, identity, customer_id, action, attributes
from clv_meta.audience_changes_before_0003;

drop table clv_meta.audience_changes_before_0003;

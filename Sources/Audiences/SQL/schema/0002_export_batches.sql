-- builds: the batches of each export's change set (clv_meta.audience_batches), so delivery marks a
-- batch, not each of its changes, and acknowledged changes reach clv_meta.audience_members once,
-- when the whole export is delivered. A change the send-time consent check revised is rewritten in
-- place: 'skip' (never sent) or 'remove'.

create table clv_meta.audience_batches (
    export_id bigint not null references clv_meta.audience_exports on delete cascade,
    batch integer not null,
    first_seq bigint not null,
    last_seq bigint not null,
    delivered boolean not null default false,
    primary key (export_id, batch)
);

-- Exports left unfinished by an earlier clv: their batches as they stood.
insert into clv_meta.audience_batches (export_id, batch, first_seq, last_seq, delivered)
select export_id, batch, min(seq), max(seq), bool_and(delivered)
from clv_meta.audience_changes
group by export_id, batch;

-- Only undelivered changes stay: a finished export's change set is deleted when it finishes, and
-- the delivered batches of an unfinished one are already in audience_members.
delete from clv_meta.audience_changes where delivered;
delete from clv_meta.audience_changes as c
using clv_meta.audience_exports as e
where e.export_id = c.export_id and e.status not in ('running', 'failed');

-- The batches carry the reference to the export; a change set is written by one statement and
-- deleted with its export's finish, so a per-row check of a million rows buys nothing.
alter table clv_meta.audience_changes drop constraint audience_changes_export_id_fkey;

alter table clv_meta.audience_changes drop column delivered;
alter table clv_meta.audience_changes drop constraint audience_changes_action_check;
alter table clv_meta.audience_changes add constraint audience_changes_action_check
    check (action in ('add', 'update', 'remove', 'skip'));
drop index clv_meta.audience_changes_export_id_batch_idx;

-- Records the additions and changes of a confirmed batch as the destination's members, except those
-- skipped or turned into removals at send time.
-- parameters: $1 the audience, $2 the destination (text), $3 the export id (bigint), $4 the batch
--   (integer), $5 the skipped changes' seqs, $6 the seqs of changes turned into removals (bigint[] literals)

insert into clv_meta.audience_members (audience, destination, identity, customer_id, attributes, export_id)
select $1, $2, identity, customer_id, attributes, export_id
from clv_meta.audience_changes
where export_id = $3 and batch = $4 and action in ('add', 'update')
    and seq <> all($5::bigint[]) and seq <> all($6::bigint[])
on conflict (audience, destination, identity) do update
set customer_id = excluded.customer_id, attributes = excluded.attributes,
    export_id = excluded.export_id, acknowledged_at = clock_timestamp()

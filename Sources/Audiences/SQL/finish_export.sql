-- Finishes an export every batch of which the destination confirmed: its additions become the
-- destination's members, its changes update them, its removals (planned, or revised at send time)
-- delete them, and it is marked delivered now; its change set is dropped in the same transaction.
-- An addition is a plain insert: the destination did not have the member when the export was
-- planned, and only this export (under its pair's lock) has written the pair since.
-- parameters: $1 the export id (bigint), $2 the audience, $3 the destination (text)

with

added as (
    insert into clv_meta.audience_members
        (audience, destination, identity, customer_id, attributes, export_id, acknowledged_at)
    select $2, $3, identity, customer_id, attributes, export_id, now()
    from clv_meta.audience_changes
    where export_id = $1 and action = 'add'
),

updated as (
    update clv_meta.audience_members as m
    set customer_id = c.customer_id, attributes = c.attributes, export_id = c.export_id, acknowledged_at = now()
    from clv_meta.audience_changes as c
    where c.export_id = $1 and c.action = 'update'
        and m.audience = $2 and m.destination = $3 and m.identity = c.identity
),

removed as (
    delete from clv_meta.audience_members as m
    using clv_meta.audience_changes as c
    where c.export_id = $1 and c.action = 'remove'
        and m.audience = $2 and m.destination = $3 and m.identity = c.identity
)

update clv_meta.audience_exports set status = 'success', finished_at = clock_timestamp(), error = null
where export_id = $1

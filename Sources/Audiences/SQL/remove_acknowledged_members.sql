-- Deletes the destination's members that a confirmed batch removed: its removals and the changes
-- turned into removals at send time.
-- parameters: $1 the export id (bigint), $2 the batch (integer), $3 the seqs of changes turned into
--   removals (bigint[] literal), $4 the audience, $5 the destination (text)

delete from clv_meta.audience_members as m
using clv_meta.audience_changes as c
where c.export_id = $1 and c.batch = $2
    and (c.action = 'remove' or c.seq = any($3::bigint[]))
    and m.audience = $4 and m.destination = $5 and m.identity = c.identity

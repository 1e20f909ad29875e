-- The counts of a planned export from clv_diff: members the destination had, rows the audience
-- returned, invalid emails, duplicates merged, suppressed members, and each action.
-- parameters: $1 the audience, $2 the destination (text)

select
    (select count(*) from clv_meta.audience_members where audience = $1 and destination = $2) as members_before,
    count(*) filter (where action <> 'remove') as rows_read,
    count(*) filter (where action = 'invalid') as invalid,
    count(*) filter (where action = 'duplicate') as duplicates,
    count(*) filter (where action = 'suppressed') as suppressed,
    count(*) filter (where action = 'add') as added,
    count(*) filter (where action = 'update') as changed,
    count(*) filter (where action = 'remove') as removed,
    count(*) filter (where action = 'keep') as unchanged
from clv_diff

-- The counts of a planned export: members the destination had, rows the audience returned, invalid
-- emails, duplicates merged, suppressed members, and the actions of clv_diff.
-- parameters: $1 the audience, $2 the destination (text), $3 the email pattern (a POSIX regular expression)

select
    (select count(*) from clv_meta.audience_members where audience = $1 and destination = $2) as members_before,
    (select count(*) from clv_members) as rows_read,
    (select count(*) from clv_members where identity is null or identity !~ $3) as invalid,
    (select count(*) from clv_members where identity ~ $3) - (select count(*) from clv_valid) as duplicates,
    (select count(*) from clv_valid) - (select count(*) from clv_desired) as suppressed,
    count(*) filter (where action = 'add') as added,
    count(*) filter (where action = 'update') as changed,
    count(*) filter (where action = 'remove') as removed,
    count(*) filter (where action = 'keep') as unchanged
from clv_diff

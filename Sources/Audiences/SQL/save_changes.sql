-- Saves the change set of clv_diff for an export, numbered into batches: additions and changes
-- first, removals in batches of their own.
-- parameters: $1 the export id (bigint), $2 rows per batch (integer)

insert into clv_meta.audience_changes (export_id, seq, batch, identity, customer_id, action, attributes)
select $1, row_number() over (order by is_remove, identity),
    dense_rank() over (order by is_remove, (kind_rank - 1) / $2) as batch,
    identity, customer_id, action, attributes
from (
    select *, action = 'remove' as is_remove,
        row_number() over (partition by action = 'remove' order by identity) as kind_rank
    from clv_diff
    where action <> 'keep'
) as numbered

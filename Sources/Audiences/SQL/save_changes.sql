-- Saves the change set of clv_diff for an export: additions and changes first, then removals, each
-- in identity order and numbered (seq), in batches of at most $2: a removal batch holds removals
-- only. Returns how many batches.
-- parameters: $1 the export id (bigint), $2 rows per batch (integer), $3 how many additions and
--   changes the set holds (bigint: the counts of export_counts)

with

numbered as (
    select identity, customer_id, action, attributes,
        row_number() over (order by action = 'remove', identity) as seq
    from clv_diff
    where action in ('add', 'update', 'remove')
),

saved as (
    insert into clv_meta.audience_changes (export_id, seq, batch, identity, customer_id, action, attributes)
    select $1, seq,
        case
            when seq <= $3 then (seq - 1) / $2 + 1
            else ($3 + $2 - 1) / $2 + (seq - $3 - 1) / $2 + 1
        end,
        identity, customer_id, action, attributes
    from numbered
    returning batch, seq
),

batches as (
    insert into clv_meta.audience_batches (export_id, batch, first_seq, last_seq)
    select $1, batch, min(seq), max(seq) from saved group by batch
    returning batch
)

select count(*)::int as batches from batches

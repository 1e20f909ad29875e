-- Records a loaded file in the load ledger, in the transaction of the rows it describes.
-- parameters: $1 load id (bigint), $2 kind, $3 source (or null), $4 file, $5 format, $6 checksum (text),
--   $7 rows read, $8 inserted, $9 updated, $10 duplicates, $11 rejected (integers), $12 seconds

insert into clv_meta.loads (load_id, kind, source, file, format, checksum, rows_read, inserted, updated,
    duplicates, rejected, seconds)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)

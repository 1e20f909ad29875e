-- Records a batch the destination confirmed: delivered, and counted on its export with the changes
-- of it that were skipped at send time.
-- parameters: $1 the export id (bigint), $2 the batch (integer), $3 changes skipped in it (integer)

with delivered as (
    update clv_meta.audience_batches set delivered = true
    where export_id = $1 and batch = $2 and not delivered
    returning batch
)
update clv_meta.audience_exports
set delivered_batches = delivered_batches + 1, skipped_at_send = skipped_at_send + $3
where export_id = $1 and exists (select from delivered)

-- Counts a delivered batch and the changes skipped at send time on its export.
-- parameters: $1 changes skipped in the batch (integer), $2 the export id (bigint)

update clv_meta.audience_exports
set delivered_batches = delivered_batches + 1, skipped_at_send = skipped_at_send + $1
where export_id = $2

-- Marks an export delivered now: every batch acknowledged.
-- parameters: $1 the export id (bigint)

update clv_meta.audience_exports set status = 'success', finished_at = clock_timestamp(), error = null
where export_id = $1

-- Marks an export failed now, with the error that stopped its delivery (the next run resumes it).
-- parameters: $1 the error (text), $2 the export id (bigint)

update clv_meta.audience_exports set status = 'failed', error = $1,
    finished_at = clock_timestamp()
where export_id = $2

-- The latest exports, newest first, with their counts and status.
-- parameters: $1 how many (integer)

select export_id, audience, destination, mode, status, added, changed, removed, unchanged,
    invalid_emails, suppressed, skipped_at_send, delivered_batches || '/' || batches as batches,
    to_char(started_at, 'YYYY-MM-DD HH24:MI:SS') as started, coalesce(error, '') as error
from clv_meta.audience_exports order by export_id desc limit $1

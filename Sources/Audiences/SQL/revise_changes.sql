-- The send-time consent check: in the undelivered batches of an export, an addition or change for
-- someone who may no longer be mailed (no email consent now, or in clv_send_suppressed) becomes a
-- removal when the destination has them, and 'skip' (never sent) otherwise.
-- parameters: $1 the export id (bigint), $2 the audience, $3 the destination (text)

update clv_meta.audience_changes as c
set action = case when m.identity is null then 'skip' else 'remove' end
from clv_meta.audience_batches as b,
    clv_meta.audience_changes as t
    left join raw.customers as k on k.customer_id = t.customer_id
    left join clv_send_suppressed as s on s.identity = t.identity
    left join clv_meta.audience_members as m on m.audience = $2 and m.destination = $3 and m.identity = t.identity
where b.export_id = $1 and not b.delivered
    and t.export_id = $1 and t.seq between b.first_seq and b.last_seq and t.action in ('add', 'update')
    and (k.email_opt_in is not true or s.identity is not null)
    and c.export_id = t.export_id and c.seq = t.seq

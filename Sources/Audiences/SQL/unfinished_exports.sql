-- The exports of an audience to a destination that an earlier run left undelivered (killed, or the
-- destination was down), oldest first.
-- parameters: $1 the audience, $2 the destination (text)

select export_id from clv_meta.audience_exports
where audience = $1 and destination = $2
    and status in ('running', 'failed')
order by export_id

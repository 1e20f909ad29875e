-- Everyone who must not be mailed, by normalised identity: customers without email consent, and
-- contacts with an unsubscribe or a bounce (every bounce is treated as hard) in the email events.

select lower(btrim(email)) as identity from raw.customers where not email_opt_in and email is not null
union
select lower(btrim(contact)) from raw.email_events where type in ('unsubscribe', 'bounce')

-- Creates clv_diff (temporary, one export): the audience's rows (clv_members) against the members
-- the destination acknowledged, each with what the export does with it. A row is 'invalid' (its
-- identity is not an email address), a 'duplicate' (an identity seen on a smaller customer id),
-- 'suppressed' (no email consent, unsubscribed or bounced: clv_suppressed), or, against what the
-- destination acknowledged, 'add', 'update' (its attributes changed, or every member on a full
-- export) or 'keep'; a member the audience no longer sends to is a 'remove'. One full join, so
-- the destination's members are read once.
-- parameters: $1 the email pattern (a POSIX regular expression), $2 whether the export is full
--   (boolean), $3 the audience, $4 the destination (text)

create temp table clv_diff on commit drop as
with

classified as (
    select m.identity, m.customer_id, m.attributes,
        coalesce(m.identity ~ $1, false) as valid,
        row_number() over (partition by m.identity order by m.customer_id) = 1 as first
    from clv_members as m
),

checked as (
    select c.identity, c.customer_id, c.attributes,
        case
            when not c.valid then 'invalid'
            when not c.first then 'duplicate'
            when k.email_opt_in is not true or s.identity is not null then 'suppressed'
        end as refusal
    from classified as c
    left join raw.customers as k on k.customer_id = c.customer_id and c.valid and c.first
    left join clv_suppressed as s on s.identity = c.identity and c.valid and c.first
),

desired as (
    select *, true as returned, case when refusal is null then identity end as desired_identity from checked
),

acknowledged as (
    select identity, customer_id, attributes
    from clv_meta.audience_members
    where audience = $3 and destination = $4
)

select
    case when d.returned then d.identity else a.identity end as identity,
    case when d.returned then d.customer_id else a.customer_id end as customer_id,
    case when d.returned then d.attributes else a.attributes end as attributes,
    case
        when d.returned is null then 'remove'
        when d.refusal is not null then d.refusal
        when a.identity is null then 'add'
        when a.attributes is distinct from d.attributes or $2 then 'update'
        else 'keep'
    end as action
from desired as d
full join acknowledged as a on a.identity = d.desired_identity

-- Creates clv_diff (temporary, one export): each desired member with its action against what the
-- destination acknowledged ('add', 'update' when its attributes changed or on a full export, 'keep'),
-- and each acknowledged member no longer desired ('remove').
-- parameters: $1 whether the export is full (boolean), $2 the audience, $3 the destination (text)

create temp table clv_diff on commit drop as
select d.identity, d.customer_id, d.attributes,
    case
        when m.identity is null then 'add'
        when m.attributes is distinct from d.attributes or $1 then 'update'
        else 'keep'
    end as action
from clv_desired as d
left join clv_meta.audience_members as m
    on m.audience = $2 and m.destination = $3 and m.identity = d.identity
union all
select m.identity, m.customer_id, m.attributes, 'remove'
from clv_meta.audience_members as m
where m.audience = $2 and m.destination = $3
    and not exists (select 1 from clv_desired as d where d.identity = m.identity)

-- description: Every relation in build_info exists as the kind it was built as, was built by a step of its run (clv_meta.run_steps) at that run's reference time, and is listed from the latest run that built it successfully.
select 'relation missing' as problem, b.relation as detail
from analytics.build_info as b
where to_regclass(b.relation) is null
union all
select 'built as ' || b.materialized || ' but is relkind ' || c.relkind::text, b.relation
from analytics.build_info as b
join pg_class as c on c.oid = to_regclass(b.relation)
where (c.relkind = 'v') <> (b.materialized = 'view')
union all
select 'no step of its run built it', b.relation || ' run ' || b.run_id
from analytics.build_info as b
where not exists (
    select from clv_meta.run_steps as s
    where s.run_id = b.run_id and s.transform = b.relation and s.materialized = b.materialized and s.status <> 'failed'
)
union all
select 'as_of differs from its run''s', b.relation || ' run ' || b.run_id
from analytics.build_info as b
join clv_meta.runs as r on r.run_id = b.run_id
where r.as_of <> b.as_of
union all
select 'a later run built it', s.transform || ' run ' || s.run_id
from (
    select transform, max(run_id) as run_id from clv_meta.run_steps where status = 'success' group by transform
) as s
left join analytics.build_info as b on b.relation = s.transform
where b.run_id is distinct from s.run_id and (b.run_id is null or b.run_id < s.run_id)

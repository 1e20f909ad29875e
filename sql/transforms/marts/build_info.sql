-- name: analytics.build_info
-- materialized: view
-- unique_key: relation
-- description: When each relation clv builds was last built, and the reference time (as_of) its windows were computed for: what a dashboard shows beside "generated at".
-- column relation: schema.relation (every transform, analytics_internal included)
-- column materialized: view, table or incremental
-- column as_of: reference time of its last build (clv run --as-of, default now)
-- column built_at: when that build was recorded, in the transaction that published it
-- column run_id: the run that built it (clv runs)

select
    transform as relation,
    materialized,
    as_of,
    built_at,
    run_id
from clv_meta.transform_state

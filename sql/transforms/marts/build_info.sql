-- name: analytics.build_info
-- materialized: view
-- unique_key: relation
-- description: When each relation clv builds was last built, and the reference time (as_of) its windows were computed for: what a dashboard shows beside "generated at".

select
    transform as relation,                                               /* schema.relation */
    materialized,                                                        /* view, table or incremental */
    as_of,                                                               /* Reference time of its last build (clv run --as-of, default now) */
    built_at,                                                            /* When that build committed */
    run_id                                                               /* The run (clv runs) */
from clv_meta.transform_state

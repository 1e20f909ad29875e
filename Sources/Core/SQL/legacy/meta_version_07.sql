-- builds: upgrade 7 of the one clv_meta upgrade list clv kept before modules owned their tables;
-- applied only to finish a database an older clv left below upgrade 10.

-- Immutable, so the planner folds each call into a constant when it plans a statement: it
-- then estimates `_load_id > since` from the statistics (a few thousand new rows, looked up
-- by index) instead of guessing for an unknown parameter and hashing whole fact tables.
-- Their settings are transaction-local and fixed for a build step, and no prepared
-- statement or stored function keeps a plan that uses them.
alter function clv_meta.since_load() immutable;
alter function clv_meta.until_load() immutable;
alter function clv_meta.as_of() immutable;
alter function clv_meta.is_incremental() immutable;
alter function clv_meta.since_build() immutable;
alter function clv_meta.previous_as_of() immutable;

-- builds: upgrade 5 of the one clv_meta upgrade list clv kept before modules owned their tables;
-- applied only to finish a database an older clv left below upgrade 10.

-- Parallel safe: a function that is not (the default) keeps every query calling it, and so
-- every transform, on one core.
alter function clv_meta.since_load() parallel safe;
alter function clv_meta.until_load() parallel safe;
alter function clv_meta.as_of() parallel safe;
alter function clv_meta.is_incremental() parallel safe;

-- Whether any rule on conversions is active in its current version (so `clv run` knows to evaluate).

select exists (
    select 1 from clv_meta.payout_rules
    where status = 'active' and superseded_at is null and evaluated_on = 'conversions'
) as active

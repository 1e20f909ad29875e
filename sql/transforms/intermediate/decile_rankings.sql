-- name: analytics_internal.decile_rankings
-- materialized: view
-- description: The CLV decile rankings clv publishes, declared once: each lookback window (revenue in the days up to the reference time; lifetime has no limit) and the dimension customers are ranked within. Add a row here to publish another.

select
    lookback,                                                            /* 30d, 90d, 180d, 365d or lifetime */
    lookback_days,                                                       /* Window length in days (NULL: lifetime) */
    dimension                                                            /* all, source (within referral source) or partner (within referring partner) */
from (values
    ('30d', 30, 'all'),
    ('90d', 90, 'all'),
    ('180d', 180, 'all'),
    ('365d', 365, 'all'),
    ('lifetime', null::integer, 'all'),
    ('365d', 365, 'source'),
    ('365d', 365, 'partner')
) as rankings (lookback, lookback_days, dimension)

-- Conversions by time: when the reference time moves (every scheduled run), the incremental
-- customer facts recompute the customers with a conversion in the slices of time the CLV
-- lookback window gained or lost, found through this index instead of a scan of every conversion.

create index on raw.conversions (occurred_at);

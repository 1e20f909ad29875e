-- name: analytics_internal.click_facts
-- materialized: incremental
-- unique_key: click_id
-- keeps_changes: true
-- recompute: click_id from raw.clicks, raw.message_sends(message_id -> raw.clicks), analytics.attributed_conversions
-- depends_on: raw.clicks, raw.message_sends, analytics.attributed_conversions
-- description: Each click with its message's creative, campaign and sending list, and whether it converts (at least one conversion is attributed to it): the clicks performance totals count, read as signed changes.


-- Plain SQL over every click: the engine recomputes only the clicks that changed, whose message's
-- send changed, or whose attributed conversions changed (see the recompute line), by filtering on
-- click_id. Converting is not a sum of conversions, so it is kept here per click and performance
-- totals add the change of a click's row (its old version -1, its new one +1).

select
    k.click_id,                                                      /* The click */
    k.message_id,                                                    /* Message that was clicked, when any */
    k.offer_id,                                                      /* Offer clicked */
    k.partner_id,                                                    /* Partner that sent the click */
    s.creative_id,                                                   /* The message's creative */
    s.campaign_id,                                                   /* Its campaign */
    s.list_id,                                                       /* Its sending list */
    exists (
        select from analytics.attributed_conversions as a where a.click_id = k.click_id and a.is_attributed
    ) as converting                                                  /* At least one conversion is attributed to it */
from raw.clicks as k
left join raw.message_sends as s on s.message_id = k.message_id and s._load_id <= clv_meta.until_load()
where k._load_id <= clv_meta.until_load()

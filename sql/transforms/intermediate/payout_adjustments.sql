-- name: analytics_internal.payout_adjustments
-- materialized: view
-- depends_on: analytics.attributed_conversions
-- description: Each conversion that payout rules touched: the rules, the revshare and bonus amounts, what they add to its default payout (final − default), and likewise for the revenue the network books (revenue outcomes). Few rows: read beside kept totals of default payouts.

-- Rule outcomes are written by clv rules evaluate (analytics.rule_matches, clv_meta.rule_match_slots,
-- owned by the rules), after the transforms: a view, so it is always current.
-- A revshare outcome replaces the default payout (the largest when several apply); fixed bonuses add.
-- Revenue outcomes work the same way on the conversion's revenue.

select
    a.conversion_id,                                                     /* Conversion */
    a.customer_id,                                                       /* Its customer */
    a.is_attributed,                                                     /* Whether attribution credits it to its click */
    a.message_id,
    a.creative_id,
    a.campaign_id,
    a.list_id,
    a.offer_id,
    a.partner_id,
    a.click_id,                                                          /* Its click, when attributed */
    a.occurred_at,                                                       /* When it happened */
    a.default_payout,                                                    /* Payout before rules */
    a.revenue as default_revenue,                                        /* Revenue before rules */
    array_agg(s.rule_name order by s.rule_name) as applied_rules,        /* Rules whose outcomes it carries */
    max(s.amount) filter (where m.outcome_type = 'revshare') as revshare_payout, /* The largest revshare outcome */
    coalesce(sum(s.amount) filter (where m.outcome_type = 'fixed'), 0) as bonus, /* Fixed bonuses */
    coalesce(max(s.amount) filter (where m.outcome_type = 'revshare'), a.default_payout)
        + coalesce(sum(s.amount) filter (where m.outcome_type = 'fixed'), 0) - a.default_payout
        as adjustment,                                                   /* final payout − default payout */
    max(s.revenue_amount) filter (where m.revenue_type = 'revshare') as revenue_share, /* The largest revenue-share outcome */
    coalesce(sum(s.revenue_amount) filter (where m.revenue_type = 'fixed'), 0) as revenue_bonus, /* Fixed revenue outcomes */
    coalesce(max(s.revenue_amount) filter (where m.revenue_type = 'revshare'), a.revenue)
        + coalesce(sum(s.revenue_amount) filter (where m.revenue_type = 'fixed'), 0) - a.revenue
        as revenue_adjustment                                            /* final revenue − default revenue */
from clv_meta.rule_match_slots as s
join analytics.rule_matches as m on m.match_id = s.match_id
join analytics.attributed_conversions as a on a.conversion_id = s.conversion_id
group by a.conversion_id, a.customer_id, a.is_attributed, a.message_id, a.creative_id, a.campaign_id, a.list_id,
    a.offer_id, a.partner_id, a.click_id, a.occurred_at, a.default_payout, a.revenue

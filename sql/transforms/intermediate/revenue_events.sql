-- name: analytics_internal.revenue_events
-- materialized: view
-- depends_on: analytics.attributed_conversions, analytics_internal.attributed_imports, analytics_internal.rule_revenue
-- description: The revenue ledger: every revenue fact once (each postback conversion, each imported amount that counts, and what revenue outcomes of payout rules change on a conversion), with its customer, whether it is a purchase (amount > 0) and its default payout. Every revenue, purchase and payout figure is read from here.

-- One plain union all (no CTEs), so a query for a few customers pushes customer_id down to both
-- tables' customer_id indexes instead of reading every fact. That needs every column of the
-- second branch to have exactly the first's type (0::numeric, null::text): with a bare 0 (integer)
-- PostgreSQL keeps the union as a subquery it cannot push a join into, and every incremental step
-- joining the ledger by customer read all of attributed_conversions.

select
    conversion_id as revenue_id,                                         /* The conversion id, or import:CLICK:DATE */
    conversion_id,                                                       /* The conversion (NULL for an import) */
    customer_id,                                                         /* The customer, when known */
    click_id,                                                            /* The click, when known */
    occurred_at,                                                         /* When it was earned */
    event,                                                               /* The conversion's event, or revenue_import */
    revenue,                                                             /* Amount (negative for a refund) */
    is_purchase,                                                         /* A purchase: amount > 0 */
    default_payout,                                                      /* Payout before rules (0 for an import) */
    'postback'::text as origin                                           /* postback, manual_import or payout_rule */
from analytics.attributed_conversions
union all
select
    'import:' || click_id || ':' || revenue_date,
    null::text,
    customer_id,
    click_id,
    occurred_at,
    'revenue_import',
    revenue,
    is_purchase,
    0::numeric,
    'manual_import'
from analytics_internal.attributed_imports
union all
-- Revenue outcomes of payout rules, as of the last run: final − reported revenue of the
-- conversion, on its date. Never a purchase (the conversion already is one or is not).
select
    'rule:' || conversion_id,
    conversion_id,
    customer_id,
    click_id,
    occurred_at,
    'revenue_rule',
    revenue_adjustment,
    false,
    0::numeric,
    'payout_rule'
from analytics_internal.rule_revenue

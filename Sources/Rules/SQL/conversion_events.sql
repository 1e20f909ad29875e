-- A customer's conversions in time order, each with its ledger entries as one text
-- (`rule: +200 payout (fixed)`, a reversal as `(reversal of #match_id)`), separated by '; '.
-- parameters: $1 the customer id (text)

select k.conversion_id, to_char(k.occurred_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as occurred_at,
    k.event, k.offer_id, k.partner_id, k.revenue::text as revenue, coalesce(k.payout, 0)::text as payout,
    k.params::text as params,
    coalesce((
        select string_agg(
            m.rule_name || ': ' || concat_ws(', ',
                case when m.outcome_type is not null then case when m.amount >= 0 then '+' else '' end || m.amount::text || ' payout' end,
                case when m.revenue_type is not null then case when m.revenue_amount >= 0 then '+' else '' end || m.revenue_amount::text || ' revenue' end)
                || ' (' || case m.entry when 'reversal' then 'reversal of #' || m.reverses
                    else concat_ws('/', m.outcome_type, m.revenue_type) end || ')',
            '; ' order by m.match_id)
        from analytics.rule_matches as m where m.conversion_id = k.conversion_id
    ), '') as outcomes
from raw.conversions as k
where k.customer_id = $1
order by k.occurred_at, k.conversion_id

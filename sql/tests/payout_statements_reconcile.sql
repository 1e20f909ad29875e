-- description: Every issued payout statement's totals are the sums of its frozen lines (conversions: default + rules; adjustments; total), and no conversion is a month's conversion line in two statements of one partner.
select 'totals differ from the lines' as problem, t.partner_id || ' ' || to_char(t.period, 'YYYY-MM') as detail
from clv_meta.payout_statements as t
left join lateral (
    select
        count(*) filter (where kind = 'conversion') as conversions,
        count(*) filter (where kind = 'adjustment') as adjustments,
        coalesce(sum(default_payout) filter (where kind = 'conversion'), 0) as default_payout,
        coalesce(sum(amount) filter (where kind = 'conversion'), 0) as conversions_total,
        coalesce(sum(amount) filter (where kind = 'adjustment'), 0) as adjustments_total,
        coalesce(sum(amount), 0) as total
    from clv_meta.payout_statement_lines as l where l.statement_id = t.statement_id
) as l on true
where (t.conversions, t.adjustments, t.default_payout, t.conversions_total, t.adjustments_total, t.total)
    <> (l.conversions, l.adjustments, l.default_payout, l.conversions_total, l.adjustments_total, l.total)
    or t.conversions_total <> t.default_payout + t.rules_payout
union all
select 'stated twice as a month''s conversion', t.partner_id || ' ' || l.conversion_id
from clv_meta.payout_statement_lines as l
join clv_meta.payout_statements as t on t.statement_id = l.statement_id
where l.kind = 'conversion'
group by t.partner_id, l.conversion_id
having count(*) > 1

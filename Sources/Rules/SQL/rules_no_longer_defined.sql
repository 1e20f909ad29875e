-- The saved rules (families) of the given files that those files no longer define, each with one of
-- its files and how many paid outcomes it has.
-- parameters: $1 the rule files (text[]), $2 the names of the rules they define now (text[])

select family, min(file) as file,
    (select count(*) from clv_meta.rule_match_slots as s where s.rule_name = r.family) as paid
from clv_meta.payout_rules as r
where file = any($1::text[])
    and family <> all($2::text[])
group by family order by family

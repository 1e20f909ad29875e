-- How many manual revenue rows of a load are for a click whose postback already delivered revenue
-- (kept, not counted twice).
-- parameters: $1 the load id (bigint)

select count(*) as n from raw.revenue_imports i
where i._load_id = $1
  and exists (select 1 from raw.conversions c where c.click_id = i.click_id and c.revenue <> 0)

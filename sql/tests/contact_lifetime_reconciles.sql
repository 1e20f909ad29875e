-- description: Each contact's sends, clicks and revenue, counted again from the raw tables: sends and clicks by the contact as sent; revenue of the conversions on its clicks that fall in [click, click + the offer's window, 30 days without an offer), and of the imports for its clicks that count (no postback on the click carried revenue).
with sends as (
    select contact, count(*) as sends from raw.message_sends
    where contact is not null and _load_id <= clv_meta.until_load()
    group by contact
),
clicks as (
    select contact, count(*) as clicks from raw.clicks
    where contact is not null and _load_id <= clv_meta.until_load()
    group by contact
),
click_revenue as (
    select k.contact, c.revenue
    from raw.conversions as c
    join raw.clicks as k on k.click_id = c.click_id and k._load_id <= clv_meta.until_load()
    left join raw.offers as o on o.offer_id = coalesce(c.offer_id, k.offer_id) and o._load_id <= clv_meta.until_load()
    where k.contact is not null and c._load_id <= clv_meta.until_load()
        and c.occurred_at >= k.occurred_at
        and c.occurred_at < k.occurred_at + coalesce(o.attribution_window, interval '30 days')
    union all
    select k.contact, i.amount
    from raw.revenue_imports as i
    join raw.clicks as k on k.click_id = i.click_id and k._load_id <= clv_meta.until_load()
    where k.contact is not null and i._load_id <= clv_meta.until_load()
        and not exists (
            select from raw.conversions as p
            where p.click_id = i.click_id and p.revenue <> 0 and p._load_id <= clv_meta.until_load()
        )
),
revenue as (
    select contact, sum(revenue) as revenue from click_revenue group by contact
),
expected as (
    select coalesce(s.contact, k.contact) as contact, coalesce(s.sends, 0) as sends, coalesce(k.clicks, 0) as clicks,
        coalesce(r.revenue, 0) as revenue
    from sends as s
    full join clicks as k on k.contact = s.contact
    left join revenue as r on r.contact = coalesce(s.contact, k.contact)
)
select coalesce(e.contact, l.contact) as contact, e.sends as expected_sends, l.sends, e.clicks as expected_clicks,
    l.clicks, e.revenue as expected_revenue, l.revenue
from expected as e
full join analytics.contact_lifetime as l on l.contact = e.contact
where (e.sends, e.clicks, e.revenue) is distinct from (l.sends, l.clicks, l.revenue)

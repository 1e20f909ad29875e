-- A tiny bundled example for `clv demo`: three partners, two offers, six customers and their
-- conversions. Idempotent: running it again adds nothing.
insert into raw.partners (partner_id, name) values
    ('p1', 'Alpha Media'), ('p2', 'Beta Deals'), ('p3', 'Gamma Mail')
on conflict do nothing;

insert into raw.offers (offer_id, name, advertiser_id, attribution_window, payout_type, payout) values
    ('trading', 'Trading signup', 'adv1', interval '7 days', 'cpa', 40),
    ('casino', 'Casino welcome', 'adv2', interval '24 hours', 'revshare', 25)
on conflict do nothing;

insert into raw.customers (customer_id, email, name, source, partner_id, signup_at, geo, email_opt_in) values
    ('cust_1', 'ana@example.com', 'Ana', 'affiliate', 'p1', '2025-01-03 10:00+00', 'EU1', true),
    ('cust_2', 'bo@example.com', 'Bo', 'affiliate', 'p2', '2025-01-05 09:00+00', 'US', true),
    ('cust_3', 'cy@example.com', 'Cy', 'direct', null, '2025-01-10 12:00+00', 'EU1', false),
    ('cust_4', 'di@example.com', 'Di', 'affiliate', 'p1', '2025-02-01 08:00+00', 'EU2', true),
    ('cust_5', 'ed@example.com', 'Ed', 'other', null, '2025-02-14 18:00+00', 'US', true),
    ('cust_6', 'fay@example.com', 'Fay', 'affiliate', 'p3', '2025-03-01 07:30+00', 'EU1', true)
on conflict do nothing;

insert into raw.conversions (conversion_id, customer_id, occurred_at, event, offer_id, partner_id, revenue, payout, params) values
    ('c1', 'cust_1', '2025-01-03 10:05+00', 'base', 'trading', 'p1', 0, 40, '{"geo": "EU1"}'),
    ('c2', 'cust_1', '2025-01-04 11:00+00', 'deposit', 'trading', 'p1', 150, 0, '{"deposit": 150}'),
    ('c3', 'cust_1', '2025-02-10 11:00+00', 'deposit', 'trading', 'p1', 75, 0, '{"deposit": 75}'),
    ('c4', 'cust_1', '2025-03-01 16:00+00', 'trade', 'trading', 'p1', 20, 0, '{"usm_num": 120}'),
    ('c5', 'cust_2', '2025-01-05 09:30+00', 'base', 'casino', 'p2', 50, 12.5, '{}'),
    ('c6', 'cust_3', '2025-01-10 12:10+00', 'base', 'trading', null, 10, 0, '{}'),
    ('c7', 'cust_4', '2025-02-01 08:15+00', 'base', 'trading', 'p1', 0, 40, '{"geo": "EU2"}'),
    ('c8', 'cust_4', '2025-02-03 08:15+00', 'deposit', 'trading', 'p1', 500, 0, '{"deposit": 500}'),
    ('c9', 'cust_5', '2025-02-14 18:20+00', 'base', 'casino', null, 30, 7.5, '{}'),
    ('c10', 'cust_6', '2025-03-01 07:45+00', 'base', 'casino', 'p3', 80, 20, '{}')
on conflict do nothing;

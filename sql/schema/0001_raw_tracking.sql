-- Raw tracking facts: what partners, offers and messages delivered, as ingested.
-- Every table carries _load_id (the load that wrote the row, from clv_meta.load_seq) so that
-- incremental transforms find new facts, and a natural key so that re-ingesting adds nothing.
-- Money is numeric, time is timestamptz (UTC), ids are text.

create schema if not exists raw;

create table raw.partners (
    partner_id text primary key,
    name text,
    _load_id bigint not null default clv_meta.next_load_id(),
    _loaded_at timestamptz not null default now()
);

create table raw.advertisers (
    advertiser_id text primary key,
    name text,
    _load_id bigint not null default clv_meta.next_load_id(),
    _loaded_at timestamptz not null default now()
);

create table raw.offers (
    offer_id text primary key,
    name text,
    advertiser_id text,
    attribution_window interval not null default interval '30 days',
    payout_type text not null default 'cpa' check (payout_type in ('cpa', 'revshare')),
    payout numeric not null default 0,
    _load_id bigint not null default clv_meta.next_load_id(),
    _loaded_at timestamptz not null default now()
);

create table raw.customers (
    customer_id text primary key,
    email text,
    name text,
    phone text,
    source text not null default 'other' check (source in ('affiliate', 'direct', 'other')),
    partner_id text,
    signup_at timestamptz,
    geo text,
    email_opt_in boolean not null default false,
    _load_id bigint not null default clv_meta.next_load_id(),
    _loaded_at timestamptz not null default now()
);

create table raw.clicks (
    click_id text primary key,
    occurred_at timestamptz not null,
    partner_id text,
    offer_id text,
    message_id text,
    contact text,
    _load_id bigint not null default clv_meta.next_load_id(),
    _loaded_at timestamptz not null default now()
);

create table raw.message_sends (
    message_id text primary key,
    sent_at timestamptz not null,
    campaign_id text,
    creative_id text,
    list_id text,
    contact text,
    segments text[] not null default '{}',
    cost numeric not null default 0,
    _load_id bigint not null default clv_meta.next_load_id(),
    _loaded_at timestamptz not null default now()
);

create table raw.email_events (
    occurred_at timestamptz not null,
    campaign_id text not null,
    audience text not null default '',
    contact text not null,
    type text not null check (type in ('sent', 'open', 'click', 'bounce', 'unsubscribe')),
    _load_id bigint not null default clv_meta.next_load_id(),
    _loaded_at timestamptz not null default now(),
    primary key (contact, campaign_id, type, occurred_at)
);

-- A conversion's customer, partner and offer need not be known yet: postbacks arrive first.
-- params holds the custom data points it was sent with: JSON strings (text) or numbers.
create table raw.conversions (
    conversion_id text primary key,
    customer_id text,
    occurred_at timestamptz not null,
    event text not null default 'base',
    offer_id text,
    partner_id text,
    click_id text,
    revenue numeric not null default 0,
    payout numeric,
    params jsonb not null default '{}' check (jsonb_typeof(params) = 'object'),
    _load_id bigint not null default clv_meta.next_load_id(),
    _loaded_at timestamptz not null default now()
);

-- Manual revenue for platforms without postbacks: one amount per click and day.
create table raw.revenue_imports (
    click_id text not null,
    revenue_date date not null,
    amount numeric not null,
    _load_id bigint not null default clv_meta.next_load_id(),
    _loaded_at timestamptz not null default now(),
    primary key (click_id, revenue_date)
);

create index on raw.partners (_load_id);
create index on raw.advertisers (_load_id);
create index on raw.offers (_load_id);
create index on raw.customers (_load_id);
create index on raw.clicks (_load_id);
create index on raw.message_sends (_load_id);
create index on raw.email_events (_load_id);
create index on raw.conversions (_load_id);
create index on raw.conversions (customer_id);
create index on raw.conversions (click_id);
create index on raw.revenue_imports (_load_id);

-- Builds the payout-rule model: data points and rules as data (loaded by `clv rules apply`), their
-- conditions in any_of / all_of groups, how far evaluation has read; analytics.rule_matches, the
-- append-only ledger of payout and revenue outcomes; the slots that make once-only outcomes
-- unique; the condition and outcome functions the evaluation inlines; and partner payout
-- statements, frozen when issued. (Databases made before the module owned these ran the same as
-- project migrations 0005, 0006 and 0011–0015: see absorbed/.)

create schema if not exists analytics;

create table clv_meta.data_points (
    name text primary key,
    type text not null check (type in ('text', 'number')),
    parameter text not null unique,
    file text not null
);

-- A rule version is a row (name: the rule's name for version 1, 'NAME@vN' after; family: the
-- rule's name). A version puts outcomes only on conversions that happened while it was current,
-- [applied_at, superseded_at); version 1 from the start of time.
create table clv_meta.payout_rules (
    name text primary key,
    file text not null,
    status text not null check (status in ('active', 'inactive')),
    -- '' for all_together, else offer | partner | advertiser
    separately_by text not null check (separately_by in ('', 'offer', 'partner', 'advertiser')),
    offers text[],                          -- null: every offer
    partners text[],
    advertisers text[],
    starts_at timestamptz,
    ends_at timestamptz,
    goal_cycle text not null check (goal_cycle in ('continuous', 'daily', 'weekly', 'monthly')),
    window_days integer,                    -- null: the rule's duration; else days from the first conversion
    frequency text not null check (frequency in ('once_per_customer', 'once_per_cycle', 'every_conversion')),
    apply_on text not null check (apply_on in ('all_conversions', 'base_only', 'events')),
    apply_on_events text[],
    outcome_type text check (outcome_type in ('fixed', 'revshare')),    -- the payout outcome
    outcome_amount numeric,                 -- fixed: the amount; revshare: the percent
    checksum text not null,                 -- of the definition: a changed rule is re-evaluated for everyone
    loaded_at timestamptz not null default now(),
    -- 'customer': a from_first_conversion window starts at the customer's first conversion;
    -- 'scope': at their first conversion in the rule's scope group after the Apply-To filter
    window_from text not null default 'customer' check (window_from in ('customer', 'scope')),
    revenue_type text check (revenue_type in ('fixed', 'revshare')),    -- the revenue outcome
    revenue_amount numeric,                 -- fixed: the amount; revshare: the percent
    family text not null,
    version integer not null default 1,
    applied_at timestamptz not null default now(),
    superseded_at timestamptz,              -- when the next version was applied (null: current)
    -- 'conversions', or 'fits': conditions on model outputs, evaluated when `clv predict` publishes
    evaluated_on text not null default 'conversions' check (evaluated_on in ('conversions', 'fits')),
    constraint payout_rules_has_an_outcome check (outcome_type is not null or revenue_type is not null)
);
create unique index payout_rules_family_version on clv_meta.payout_rules (family, version);

create table clv_meta.rule_conditions (
    rule_name text not null references clv_meta.payout_rules on delete cascade,
    position integer not null,
    subject text not null,                  -- a data point's name, or conversions | revenue | payout
    parameter text,                         -- the data point's parameter (null for built-in metrics)
    value_type text not null check (value_type in ('text', 'number')),
    logic text not null check (logic in ('any_value', 'sum_of_values', 'count_of_values')),
    operator text not null,
    text_value text,
    text_values text[],
    number_value numeric,
    number_high numeric,
    group_id integer not null default 0,    -- 0: the top level (all must hold), else a rule_condition_groups row
    events text[],                          -- when set, only conversions with one of these events count
    primary key (rule_name, position)
);

create table clv_meta.rule_condition_groups (
    rule_name text not null references clv_meta.payout_rules on delete cascade,
    group_id integer not null check (group_id > 0),
    parent_id integer not null,             -- 0: the top level; else the enclosing group (one level)
    combine text not null check (combine in ('all', 'any')),
    primary key (rule_name, group_id)
);

-- How far evaluation has read the conversions, and each rule's checksum when last evaluated.
create table clv_meta.rule_evaluations (
    rule_name text primary key,
    checksum text not null,
    load_watermark bigint not null,
    evaluated_at timestamptz not null default now()
);

-- The ledger: a match is never edited; one that no longer holds gets a reversal row. Each entry
-- carries the payout (amount, 0 without a payout outcome) and the booked revenue (revenue_amount,
-- 0 without a revenue outcome); a reversal negates both.
create table analytics.rule_matches (
    match_id bigint generated always as identity primary key,
    rule_name text not null,                -- the rule's family
    customer_id text not null,
    conversion_id text not null,
    scope_key text not null,                -- '' for all_together, else the offer, partner or advertiser id
    cycle_start timestamptz,                -- the goal cycle's start (null for continuous)
    outcome_type text check (outcome_type in ('fixed', 'revshare')),
    amount numeric not null,                -- negative on a reversal
    entry text not null check (entry in ('match', 'reversal')),
    reverses bigint references analytics.rule_matches,
    matched_at timestamptz not null default clock_timestamp(),
    revenue_type text check (revenue_type in ('fixed', 'revshare')),
    revenue_amount numeric not null default 0,
    -- the entries that change booked revenue, numbered: what analytics_internal.rule_revenue reads
    -- past its last build
    revenue_entry bigint generated always as (case when revenue_amount <> 0 then match_id end) stored,
    rule_version integer not null default 1,
    -- on rules evaluated on fits: the analytics.clv_model_fits row that triggered it (the Modeling
    -- module's table, so not a foreign key: each module creates its tables on its own)
    fit_id bigint
);
create index on analytics.rule_matches (customer_id);
create index on analytics.rule_matches (conversion_id);
create index on analytics.rule_matches (revenue_entry) where revenue_entry is not null;

-- One row per outcome currently paid: its key is what makes a once-only outcome unique, however
-- evaluations interleave. slot_key is '' (once per customer), the cycle start (once per cycle)
-- or the conversion id (every conversion).
create table clv_meta.rule_match_slots (
    rule_name text not null,
    customer_id text not null,
    scope_key text not null,
    slot_key text not null,
    match_id bigint not null references analytics.rule_matches,
    conversion_id text not null,
    amount numeric not null,
    revenue_amount numeric not null default 0,
    rule_version integer not null default 1,
    primary key (rule_name, customer_id, scope_key, slot_key)
);
create index on clv_meta.rule_match_slots (customer_id);

-- A number from a data point's JSON value: JSON numbers, and strings that read as numbers.
create function clv_meta.rule_number(value jsonb) returns numeric language sql immutable parallel safe as $$
    select case
        when jsonb_typeof(value) = 'number' then (value #>> '{}')::numeric
        when jsonb_typeof(value) = 'string' and (value #>> '{}') ~ '^\s*-?[0-9]+(\.[0-9]+)?\s*$'
            then (value #>> '{}')::numeric
    end
$$;

-- Whether a text value satisfies a text condition.
create function clv_meta.rule_text_holds(operator text, value text, expected text, expected_list text[])
returns boolean language sql immutable parallel safe as $$
    select case operator
        when 'exact_match' then value = expected
        when 'not_equal' then value <> expected
        when 'contains' then strpos(value, expected) > 0
        when 'starts_with' then starts_with(value, expected)
        when 'in_list' then value = any(expected_list)
    end
$$;

-- Whether a number satisfies a number condition (between is inclusive).
create function clv_meta.rule_number_holds(operator text, value numeric, expected numeric, high numeric)
returns boolean language sql immutable parallel safe as $$
    select case operator
        when 'greater_than' then value > expected
        when 'greater_or_equal' then value >= expected
        when 'less_than' then value < expected
        when 'less_or_equal' then value <= expected
        when 'equal' then value = expected
        when 'between' then value between expected and high
    end
$$;

-- What a rule outcome gives on a conversion: a fixed amount, or a percent of the conversion's
-- revenue rounded to 4 decimals; 0 where the rule has no such outcome. A plain SQL expression, so
-- the planner inlines it.
create function clv_meta.rule_outcome_amount(outcome_type text, amount numeric, revenue numeric) returns numeric
language sql immutable parallel safe as $$
    select case outcome_type
        when 'fixed' then amount
        when 'revshare' then round(revenue * amount / 100, 4)
        else 0
    end
$$;

-- Partner payout statements: what a partner was told it is paid for a calendar month (UTC),
-- frozen when issued. Late data, corrections and reversals of earlier months never edit an issued
-- statement: they land in the partner's next statement as adjustment lines (what the conversion's
-- final payout is now − what issued statements already stated for it).
create table clv_meta.payout_statements (
    statement_id bigint generated always as identity primary key,
    partner_id text not null,
    period date not null check (extract(day from period) = 1),   -- the month's first day (UTC)
    issued_at timestamptz not null default clock_timestamp(),
    conversions integer not null,           -- conversion lines (conversions of the month)
    adjustments integer not null,           -- adjustment lines (earlier months)
    default_payout numeric not null,        -- the month's conversions: payouts before rules
    rules_payout numeric not null,          -- what the payout rules add to them (final − default)
    conversions_total numeric not null,     -- = default_payout + rules_payout
    adjustments_total numeric not null,
    total numeric not null,                 -- = conversions_total + adjustments_total
    unique (partner_id, period)
);

create table clv_meta.payout_statement_lines (
    statement_id bigint not null references clv_meta.payout_statements,
    line integer not null,
    kind text not null check (kind in ('conversion', 'adjustment')),
    conversion_id text not null,
    occurred_at timestamptz,                -- null when the conversion is gone
    event text,
    default_payout numeric,                 -- now (null when gone)
    applied_rules text[],                   -- now
    bonus numeric,                          -- now: fixed rule outcomes on it
    final_payout numeric not null,          -- now (0 when gone or credited to another partner)
    stated_before numeric not null,         -- what earlier statements of this partner stated for it
    amount numeric not null,                -- final_payout − stated_before
    primary key (statement_id, line)
);
create index on clv_meta.payout_statement_lines (conversion_id);

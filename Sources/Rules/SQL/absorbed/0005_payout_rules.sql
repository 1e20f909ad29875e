-- Builds the payout-rule model: data points and rules as data (loaded by `clv rules apply`), the
-- slots that make once-only outcomes unique, and analytics.rule_matches, the append-only ledger.

create table clv_meta.data_points (
    name text primary key,
    type text not null check (type in ('text', 'number')),
    parameter text not null unique,
    file text not null
);

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
    outcome_type text not null check (outcome_type in ('fixed', 'revshare')),
    outcome_amount numeric not null,        -- fixed: the amount; revshare: the percent
    checksum text not null,                 -- of the definition: a changed rule is re-evaluated for everyone
    loaded_at timestamptz not null default now()
);

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
    primary key (rule_name, position)
);

-- How far evaluation has read the conversions, and each rule's checksum when last evaluated.
create table clv_meta.rule_evaluations (
    rule_name text primary key,
    checksum text not null,
    load_watermark bigint not null,
    evaluated_at timestamptz not null default now()
);

-- The ledger: a match is never edited; one that no longer holds gets a reversal row.
create table analytics.rule_matches (
    match_id bigint generated always as identity primary key,
    rule_name text not null,
    customer_id text not null,
    conversion_id text not null,
    scope_key text not null,                -- '' for all_together, else the offer, partner or advertiser id
    cycle_start timestamptz,                -- the goal cycle's start (null for continuous)
    outcome_type text not null check (outcome_type in ('fixed', 'revshare')),
    amount numeric not null,                -- negative on a reversal
    entry text not null check (entry in ('match', 'reversal')),
    reverses bigint references analytics.rule_matches,
    matched_at timestamptz not null default clock_timestamp()
);
create index on analytics.rule_matches (customer_id);
create index on analytics.rule_matches (conversion_id);

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
    primary key (rule_name, customer_id, scope_key, slot_key)
);
create index on clv_meta.rule_match_slots (customer_id);

-- A number from a data point's JSON value: JSON numbers, and strings that read as numbers.
create function clv_meta.rule_number(value jsonb) returns numeric language sql immutable as $$
    select case
        when jsonb_typeof(value) = 'number' then (value #>> '{}')::numeric
        when jsonb_typeof(value) = 'string' and (value #>> '{}') ~ '^\s*-?[0-9]+(\.[0-9]+)?\s*$'
            then (value #>> '{}')::numeric
    end
$$;

-- Whether a text value satisfies a text condition.
create function clv_meta.rule_text_holds(operator text, value text, expected text, expected_list text[])
returns boolean language sql immutable as $$
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
returns boolean language sql immutable as $$
    select case operator
        when 'greater_than' then value > expected
        when 'greater_or_equal' then value >= expected
        when 'less_than' then value < expected
        when 'less_or_equal' then value <= expected
        when 'equal' then value = expected
        when 'between' then value between expected and high
    end
$$;

-- The conversion report: each conversion with the rules whose outcomes it currently carries and
-- its final payout. A revshare outcome replaces the default payout (the largest one when several
-- apply); fixed bonuses add to it.
create view analytics.conversion_payouts as
select
    k.conversion_id,
    k.customer_id,
    k.occurred_at,
    k.event,
    k.offer_id,
    k.partner_id,
    k.revenue,
    coalesce(k.payout, 0) as default_payout,
    coalesce(array_agg(s.rule_name order by s.rule_name) filter (where s.rule_name is not null), '{}') as applied_rules,
    max(s.amount) filter (where m.outcome_type = 'revshare') as revshare_payout,
    coalesce(sum(s.amount) filter (where m.outcome_type = 'fixed'), 0) as bonus,
    coalesce(max(s.amount) filter (where m.outcome_type = 'revshare'), coalesce(k.payout, 0))
        + coalesce(sum(s.amount) filter (where m.outcome_type = 'fixed'), 0) as final_payout
from raw.conversions as k
left join clv_meta.rule_match_slots as s on s.conversion_id = k.conversion_id
left join analytics.rule_matches as m on m.match_id = s.match_id
group by k.conversion_id;

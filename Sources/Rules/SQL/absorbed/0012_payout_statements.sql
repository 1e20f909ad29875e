-- Partner payout statements (issue #17): what a partner was told it is paid for a calendar month
-- (UTC), frozen when issued. Late data, corrections and reversals of earlier months never edit an
-- issued statement: they land in the partner's next statement as adjustment lines (what the
-- conversion's final payout is now − what issued statements already stated for it).

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

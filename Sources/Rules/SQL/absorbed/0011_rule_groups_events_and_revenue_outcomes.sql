-- Extends the payout-rule model (issue #17): conditions in any_of / all_of groups, conditions
-- on the conversion's event or counted over some events only, the window's first conversion, and
-- revenue outcomes (what the network books from the advertiser) beside or instead of payouts.
--
-- window_from: 'customer' counts a from_first_conversion window from the customer's first
-- conversion, whatever its offer or partner (the rule builder's meaning); 'scope' from their
-- first conversion in the rule's scope group after the Apply-To filter (what every rule meant
-- before). Saved rules take 'customer' now, and every rule is marked for a full evaluation below,
-- so what has been paid is checked against the meaning it now has (a rule that needs the old one
-- says `first_conversion_in: scope`).

alter table clv_meta.payout_rules
    add column window_from text not null default 'customer' check (window_from in ('customer', 'scope'));

-- A condition's group: 0 is the top level (all must hold), else a row of rule_condition_groups.
-- events: when set, only conversions with one of these events count towards the condition.
alter table clv_meta.rule_conditions
    add column group_id integer not null default 0,
    add column events text[];

create table clv_meta.rule_condition_groups (
    rule_name text not null references clv_meta.payout_rules on delete cascade,
    group_id integer not null check (group_id > 0),
    parent_id integer not null,             -- 0: the top level; else the enclosing group (one level)
    combine text not null check (combine in ('all', 'any')),
    primary key (rule_name, group_id)
);

-- Revenue outcomes: fixed (added to the conversion's revenue) or revshare (a percent of it,
-- replacing it). A rule has a payout outcome, a revenue outcome, or both.
alter table clv_meta.payout_rules
    alter column outcome_type drop not null,
    alter column outcome_amount drop not null,
    add column revenue_type text check (revenue_type in ('fixed', 'revshare')),
    add column revenue_amount numeric,      -- fixed: the amount; revshare: the percent
    add constraint payout_rules_has_an_outcome check (outcome_type is not null or revenue_type is not null);

-- Each ledger entry and paid slot carries both amounts: amount (payout, 0 without a payout
-- outcome) and revenue_amount (0 without a revenue outcome); a reversal negates both.
alter table analytics.rule_matches
    alter column outcome_type drop not null,
    add column revenue_type text check (revenue_type in ('fixed', 'revshare')),
    add column revenue_amount numeric not null default 0;

-- The entries that change booked revenue, numbered: what analytics_internal.rule_revenue reads past
-- its last build (entries that only pay leave the revenue ledger, and so the plan, alone).
alter table analytics.rule_matches
    add column revenue_entry bigint generated always as (case when revenue_amount <> 0 then match_id end) stored;
create index on analytics.rule_matches (revenue_entry) where revenue_entry is not null;

alter table clv_meta.rule_match_slots
    add column revenue_amount numeric not null default 0;

update clv_meta.rule_evaluations set checksum = '';

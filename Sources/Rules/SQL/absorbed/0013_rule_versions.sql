-- Rule versions (issue #17): editing a rule adds a version instead of rewriting it. Each version
-- is a row of payout_rules (name: the rule's name for version 1, 'NAME@vN' after), with its own
-- conditions; `family` is the rule's name. A version puts outcomes only on conversions that
-- happened while it was the rule's current one — [applied_at, superseded_at); version 1 from the
-- start of time — so what version N paid stays when N+1 is applied, and later conversions are
-- judged by N+1. Outcomes (ledger entries and slots) carry the family's name and the version.

alter table clv_meta.payout_rules
    add column family text,
    add column version integer not null default 1,
    add column applied_at timestamptz not null default now(),
    add column superseded_at timestamptz;       -- when the next version was applied (null: current)

update clv_meta.payout_rules set family = name, applied_at = loaded_at;
alter table clv_meta.payout_rules alter column family set not null;
create unique index payout_rules_family_version on clv_meta.payout_rules (family, version);

alter table analytics.rule_matches add column rule_version integer not null default 1;
alter table clv_meta.rule_match_slots add column rule_version integer not null default 1;

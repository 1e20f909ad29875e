#!/usr/bin/env bash
# Payout rules: generate N customers, apply 20 active rules (accumulated data-point conditions per
# offer, weekly cycles, partner RevShare windows), a full evaluation, then 10,000 new conversions
# and an incremental evaluation. Prints JSON. Usage: [KEEP=1] bench/rules.sh [CUSTOMERS]
source "$(dirname "$0")/lib.sh"
customers=${1:-1000000}
url=$(fresh_database bench_rules)
mkdir -p "$work/project/rules"
cp -r sql "$work/project/sql"
python3 - > "$work/project/rules/bench.yaml" <<'PY'
print("""data_points:
  - {name: GEO, type: text, parameter: geo}
  - {name: Deposit, type: number, parameter: deposit}
  - {name: Trade Amount, type: number, parameter: usm_num}
  - {name: Level, type: number, parameter: level}
rules:""")
for i in range(1, 6):
    print(f"""  - name: Trader bonus o{i:03}
    scope: {{grouping: all_together, apply_to: {{offers: [o{i:03}]}}}}
    behavior:
      conditions:
        - {{data_point: GEO, logic: any_value, operator: in_list, value: [EU1, EU2, US]}}
        - {{data_point: Deposit, logic: sum_of_values, operator: greater_than, value: 500}}
        - {{data_point: Trade Amount, logic: any_value, operator: greater_than, value: 200}}
      frequency: once_per_customer
      outcome: {{payout: {{type: fixed, amount: 100}}}}""")
for i in range(6, 11):
    print(f"""  - name: Level 10 o{i:03}
    scope: {{grouping: all_together, apply_to: {{offers: [o{i:03}]}}}}
    behavior:
      conditions: [{{data_point: Level, logic: any_value, operator: greater_or_equal, value: 10}}]
      frequency: once_per_customer
      outcome: {{payout: {{type: fixed, amount: 25}}}}""")
for i in range(11, 16):
    print(f"""  - name: Weekly depositor o{i:03}
    scope: {{grouping: {{separately_by: partner}}, apply_to: {{offers: [o{i:03}]}}}}
    timeframe: {{goal_cycle: weekly}}
    behavior:
      conditions:
        - {{data_point: Deposit, logic: sum_of_values, operator: greater_or_equal, value: 300}}
        - {{data_point: conversions, logic: count_of_values, operator: greater_or_equal, value: 2}}
      frequency: once_per_cycle
      outcome: {{payout: {{type: fixed, amount: 10}}}}""")
for i in range(1, 6):
    print(f"""  - name: RevShare p{i:03}
    scope: {{grouping: all_together, apply_to: {{partners: [p{i:03}]}}}}
    timeframe: {{window: {{from_first_conversion: 30d}}}}
    behavior: {{conditions: [], frequency: every_conversion, outcome: {{payout: {{type: revshare, percent: 10}}}}}}""")
PY
common=(--project "$work/project" --database-url "$url")
$clv migrate "${common[@]}" >/dev/null
$clv generate --customers "$customers" "${common[@]}" >/dev/null 2>&1
conversions=$(psql "$url" -Atc "select count(*) from raw.conversions")
$clv rules apply "${common[@]}" >/dev/null
t0=$(now); $clv rules evaluate --json "${common[@]}" > "$work/full.json"; t1=$(now)
psql "$url" -qc "insert into raw.conversions (conversion_id, customer_id, occurred_at, event, offer_id, partner_id, revenue, params)
    select 'bench_' || g, 'cust_' || (g * 7919 % $customers), timestamptz '2025-06-01' + g * interval '1 minute', 'deposit',
        'o' || lpad((g % 15 + 1)::text, 3, '0'), 'p' || lpad((g % 200 + 1)::text, 3, '0'), 120, jsonb_build_object('deposit', 120 + g % 300)
    from generate_series(1, 10000) g"
t2=$(now); $clv rules evaluate --json "${common[@]}" > "$work/incremental.json"; t3=$(now)
matches=$(psql "$url" -Atc "select count(*) from clv_meta.rule_match_slots")
# KEEP=1 leaves the database for EXPLAIN.
[ -n "${KEEP:-}" ] || psql "$admin" -qc "drop database bench_rules"
python3 - "$customers" "$conversions" "$matches" "$t0" "$t1" "$t2" "$t3" "$work" <<'PY'
import json, sys
customers, conversions, matches = map(int, sys.argv[1:4])
t0, t1, t2, t3 = map(float, sys.argv[4:8])
work = sys.argv[8]
# `clv rules evaluate --json`: the evaluation, and the transforms run when revenue outcomes changed.
full, incremental = (json.load(open(f"{work}/{name}.json"))["evaluation"] for name in ("full", "incremental"))
print(json.dumps({
    "customers": customers, "conversions": conversions, "active_rules": full["rules"],
    "full_evaluation_seconds": round(t1 - t0, 2), "full_matches": full["matched"],
    "incremental_new_conversions": 10000, "incremental_customers": incremental["customers"],
    "incremental_evaluation_seconds": round(t3 - t2, 2), "incremental_matches": incremental["matched"],
    "incremental_reversals": incremental["reversed"], "paid_outcomes": matches,
    "full_over_incremental": round((t1 - t0) / (t3 - t2), 1),
}, indent=2))
PY

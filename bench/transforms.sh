#!/usr/bin/env bash
# Derived-attribute refresh: generate N customers, full refresh, ingest 1% more conversions,
# incremental refresh, then as many conversions on existing clicks and another incremental
# refresh; then `clv test` (every data test, among them that each decile is ceil(10 × cume_dist())
# at this size); and, in the same run, hand-written SQL computing the same customer facts
# (values, default payouts, cohorts) and deciles, checked against clv's rows. Prints JSON.
# Usage: [EXTRA=n] [KEEP=1] bench/transforms.sh [CUSTOMERS]
# (EXTRA: how many conversions the incremental round adds; default 1% of them; KEEP=1 keeps the
# database bench_transforms)
source "$(dirname "$0")/lib.sh"
customers=${1:-1000000}
as_of="2026-01-01T00:00:00Z"
url=$(fresh_database bench_transforms)
$clv migrate --database-url "$url" >/dev/null

t0=$(now); $clv generate --customers "$customers" --database-url "$url" >/dev/null 2>&1; t1=$(now)
conversions=$(psql "$url" -Atc "select count(*) from raw.conversions")
$clv run --full-refresh --as-of "$as_of" --json --database-url "$url" > "$work/full.json"; t2=$(now)

# 1% more conversions for existing customers, as a file through clv ingest.
extra=${EXTRA:-$(( conversions / 100 ))}
psql "$url" -qc "\\copy (select 'bench_' || g, 'cust_' || (g * 7919 % $customers), timestamptz '2025-06-01' + g * interval '1 minute', 'deposit', 12.5 from generate_series(1, $extra) g) to '$work/extra.csv' with (format csv, header)"
sed -i '1s/.*/conversion_id,user_id,occurred_at,event,revenue/' "$work/extra.csv"
t3=$(now); $clv ingest conversions "$work/extra.csv" --database-url "$url" >/dev/null; t4=$(now)
$clv run --as-of "$as_of" --json --database-url "$url" > "$work/incremental.json"; t5=$(now)

# A second round: as many conversions on existing clicks an hour after them, so attribution,
# performance, contact lifetimes and campaign results all have work.
psql "$url" -qc "\\copy (select 'bench_att_' || row_number() over (), 'cust_' || substring(contact from 'user([0-9]+)@'), occurred_at + interval '1 hour', 'deposit', click_id, 12.5 from (select * from raw.clicks where contact like 'user%' order by md5(click_id) limit $extra) k) to '$work/attributed.csv' with (format csv, header)"
sed -i '1s/.*/conversion_id,user_id,occurred_at,event,click_id,revenue/' "$work/attributed.csv"
$clv ingest conversions "$work/attributed.csv" --database-url "$url" >/dev/null; t6=$(now)
$clv run --as-of "$as_of" --json --database-url "$url" > "$work/attributed.json"; t7=$(now)

# Every data test on the result of the incremental rounds.
if $clv test --database-url "$url" > "$work/test.txt" 2>&1; then tests=pass; else tests=fail; fi; t8=$(now)

psql "$url" -q -v ON_ERROR_STOP=1 -v as_of="$as_of" -f bench/handwritten.sql > "$work/handwritten.txt"
# KEEP=1 leaves the database for EXPLAIN.
[ -n "${KEEP:-}" ] || psql "$admin" -qc "drop database bench_transforms"
python3 - "$customers" "$conversions" "$extra" "$t0" "$t1" "$t2" "$t3" "$t4" "$t5" "$t6" "$t7" "$work" "$tests" "$t8" <<'PY'
import json, re, sys
customers, conversions, extra = map(int, sys.argv[1:4])
t0, t1, t2, t3, t4, t5, t6, t7 = map(float, sys.argv[4:12])
work, tests, t8 = sys.argv[12], sys.argv[13], float(sys.argv[14])
test_lines = open(f"{work}/test.txt").read().splitlines()
hw_text = open(f"{work}/handwritten.txt").read()
checks = {k: int(v) for k, v in re.findall(r"check\|(\w+)\|(\d+)", hw_text)}
full = json.load(open(f"{work}/full.json"))
incremental = json.load(open(f"{work}/incremental.json"))
attributed = json.load(open(f"{work}/attributed.json"))
handwritten = sum(float(m) for m in re.findall(r"Time: ([0-9.]+) ms", hw_text)) / 1000
# The clv steps that produce what the hand-written SQL produces. Customer facts read the revenue
# ledger (a view over attributed conversions and counted imports); the default payouts, and the
# conversions themselves, reach it only through analytics.attributed_conversions, so attribution
# counts on clv's side while the hand-written SQL computes the payout inline. The deciles are
# decile_population (who is ranked, with what revenue) and the bounds; analytics.customer_deciles
# is the view that reads them.
same = ["analytics.attributed_conversions", "analytics_internal.attributed_imports",
        "analytics_internal.revenue_events", "analytics_internal.customer_facts",
        "analytics_internal.decile_population", "analytics_internal.clv_decile_bounds",
        "analytics.customer_deciles"]
full_same = sum(s["seconds"] for s in full["built"] if s["transform"] in same)
print(json.dumps({
    "customers": customers, "conversions": conversions,
    "generate_seconds": round(t1 - t0, 2),
    "full_refresh_seconds": round(t2 - t1, 2),
    "full_refresh_steps": {s["transform"]: {"seconds": round(s["seconds"], 2), "rows": s["rows"]} for s in full["built"]},
    "ingest_extra_conversions": extra, "ingest_seconds": round(t4 - t3, 2),
    "incremental_refresh_seconds": round(t5 - t4, 2),
    "incremental_steps": {s["transform"]: {"seconds": round(s["seconds"], 2), "rows": s["rows"], "mode": s["mode"]} for s in incremental["built"]},
    "attributed_round_seconds": round(t7 - t6, 2),
    "attributed_round_steps": {s["transform"]: {"seconds": round(s["seconds"], 2), "rows": s["rows"], "mode": s["mode"]} for s in attributed["built"]},
    "full_over_attributed_round": round((t2 - t1) / (t7 - t6), 1),
    "handwritten_sql_seconds": round(handwritten, 2),
    "clv_same_relations_full_seconds": round(full_same, 2),
    "clv_same_relations": same,
    "full_vs_handwritten": round(full_same / handwritten, 2) if handwritten else None,
    "handwritten_rows_differing_from_clv": checks,
    "clv_test": tests, "clv_test_seconds": round(t8 - t7, 2),
    "clv_test_summary": test_lines[-1] if test_lines else "",
    "clv_test_failures": [l for l in test_lines if l.startswith("FAIL")],
    "full_over_incremental": round((t2 - t1) / (t5 - t4), 1),
}, indent=2))
PY

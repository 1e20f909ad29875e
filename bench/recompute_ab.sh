#!/usr/bin/env bash
# Transforms before and after a rewrite, side by side on one database: two copies of the project,
# one with sql/transforms as of REV, the other as now; for each round and copy (alternating), a
# full refresh, then EXTRA conversions on existing clicks and an incremental run. Prints one line
# per run: the copy, the round, the seconds of the steps that differ between the copies, and the
# whole run. Usage: [EXTRA=n] [ROUNDS=n] bench/recompute_ab.sh REV [CUSTOMERS]
source "$(dirname "$0")/lib.sh"
rev=$1
customers=${2:-200000}
as_of="2026-01-01T00:00:00Z"
for copy in before after; do
    mkdir -p "$work/$copy"
    cp -r sql rules schedules dashboards audiences.yaml "$work/$copy/"
done
rm -rf "$work/before/sql/transforms"
mkdir -p "$work/before/sql/transforms"
git archive "$rev" sql/transforms | tar -x -C "$work/before"
changed=$( (diff -rq "$work/before/sql/transforms" "$work/after/sql/transforms" || true) | grep -oE '[a-z_]+\.sql' | sed 's/\.sql$//' | sort -u | tr '\n' ' ')
url=$(fresh_database bench_recompute)
$clv migrate --project "$work/after" --database-url "$url" >/dev/null
$clv generate --customers "$customers" --database-url "$url" >/dev/null 2>&1
psql "$url" -qc "vacuum analyze"
for round in $(seq 1 "${ROUNDS:-2}"); do
    for copy in before after; do
        $clv run --full-refresh --as-of "$as_of" --json --project "$work/$copy" --database-url "$url" > "$work/full.json"
        psql "$url" -qc "\\copy (select 'ab_${copy}_${round}_' || row_number() over (), 'cust_' || substring(contact from 'user([0-9]+)@'), occurred_at + interval '1 hour', 'deposit', click_id, 12.5 from (select * from raw.clicks where contact like 'user%' order by md5(click_id || '${copy}${round}') limit ${EXTRA:-2000}) k) to '$work/extra.csv' with (format csv, header)"
        sed -i '1s/.*/conversion_id,user_id,occurred_at,event,click_id,revenue/' "$work/extra.csv"
        $clv ingest conversions "$work/extra.csv" --project "$work/$copy" --database-url "$url" >/dev/null
        $clv run --as-of "$as_of" --json --project "$work/$copy" --database-url "$url" > "$work/incremental.json"
        python3 - "$copy" "$round" "$changed" "$work/full.json" "$work/incremental.json" <<'PY'
import json, sys
copy, round_, changed, full, incremental = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4], sys.argv[5]
def steps(path):
    built = json.load(open(path))["built"]
    return {s["transform"].split(".")[1]: round(s["seconds"], 2) for s in built}, round(sum(s["seconds"] for s in built), 2)
for label, path in (("full", full), ("incremental", incremental)):
    by_step, total = steps(path)
    print(copy, round_, label, {name: by_step.get(name) for name in changed if name in by_step}, "run", total)
PY
    done
done
psql "$admin" -qc "drop database bench_recompute"

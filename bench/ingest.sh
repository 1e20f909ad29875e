#!/usr/bin/env bash
# Ingest throughput: `clv ingest conversions` of an N-row CSV (release build) next to
# `psql \copy` of the same rows into the same table, each into a fresh database on the
# embedded cluster, in the same run. Prints JSON. Usage: bench/ingest.sh [ROWS]
source "$(dirname "$0")/lib.sh"
rows=${1:-1000000}
python3 bench/make_conversions_csv.py "$rows" "$work/conversions.csv"
url_copy=$(fresh_database bench_copy)
url_clv=$(fresh_database bench_clv)
$clv migrate --database-url "$url_copy" >/dev/null
$clv migrate --database-url "$url_clv" >/dev/null

# psql \copy straight into raw.conversions: no validation, no idempotency, params not built.
columns="conversion_id,customer_id,occurred_at,event,offer_id,partner_id,click_id,revenue,payout"
cut -d, -f1-9 "$work/conversions.csv" > "$work/plain.csv"
start=$(date +%s.%N)
psql "$url_copy" -qc "\\copy raw.conversions ($columns) from '$work/plain.csv' with (format csv, header)"
copy_seconds=$(echo "$(date +%s.%N) - $start" | bc)

start=$(date +%s.%N)
$clv ingest conversions "$work/conversions.csv" --database-url "$url_clv" >/dev/null
clv_seconds=$(echo "$(date +%s.%N) - $start" | bc)

psql "$admin" -qc "drop database bench_copy" -c "drop database bench_clv"
python3 - "$rows" "$copy_seconds" "$clv_seconds" <<'PY'
import json, sys
rows, copy_s, clv_s = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(json.dumps({
    "rows": rows,
    "psql_copy_seconds": round(copy_s, 2), "psql_copy_rows_per_s": round(rows / copy_s),
    "clv_ingest_seconds": round(clv_s, 2), "clv_ingest_rows_per_s": round(rows / clv_s),
    "clv_vs_psql_copy": round(copy_s / clv_s, 3),
}, indent=2))
PY

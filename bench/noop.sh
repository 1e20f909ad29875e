#!/usr/bin/env bash
# The fixed cost of a run: `clv run` when nothing is new (every transform up to date, the
# reference time unchanged), whole process, against `psql -c 'select 1'` (a process that connects,
# runs one statement and exits), same database, same run. Prints JSON with the medians.
# Usage: [RUNS=n] bench/noop.sh [CUSTOMERS]
source "$(dirname "$0")/lib.sh"
customers=${1:-2000}
runs=${RUNS:-25}
as_of="2026-01-01T00:00:00Z"
url=$(fresh_database bench_noop)
$clv migrate --database-url "$url" >/dev/null
$clv generate --customers "$customers" --database-url "$url" >/dev/null 2>&1
$clv run --as-of "$as_of" --database-url "$url" >/dev/null

# median of the wall times of a command run $runs times (timed in one Python process, so the
# clock costs no fork)
median() {
    python3 - "$runs" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, command = int(sys.argv[1]), sys.argv[2:]
times = []
for _ in range(runs):
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    times.append(time.perf_counter() - started)
print(statistics.median(times))
PY
}
clv_run=$(median $clv run --as-of "$as_of" --database-url "$url")
psql_one=$(median psql "$url" -Atc "select 1")
built=$($clv run --as-of "$as_of" --json --database-url "$url" | python3 -c "import json,sys; print(len(json.load(sys.stdin)['built']))")
psql "$admin" -qc "drop database bench_noop"
python3 - "$clv_run" "$psql_one" "$built" "$runs" <<'PY'
import json, sys
clv_run, psql_one, built, runs = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(json.dumps({"runs": runs, "clv_run_nothing_to_do_seconds": round(clv_run, 4), "steps_built": built,
                  "psql_select_1_seconds": round(psql_one, 4), "clv_over_psql": round(clv_run / psql_one, 1)}))
PY

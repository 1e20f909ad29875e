#!/usr/bin/env bash
# Crash soak: kills clv with -9 at 100 random (seeded) moments across ingest, run, predict, rules
# evaluate, audiences export and the scheduler daemon, on a generated 2,000-customer program in a
# fresh database, and checks the warehouse's invariants after each kill (see bench/soak.py).
# Prints `soak: K kills, V invariant violations`; exits non-zero on any violation.
# Usage: bench/soak.sh [KILLS] [SEED] [CUSTOMERS]
source "$(dirname "$0")/lib.sh"
url=$(fresh_database bench_soak)
status=0
python3 bench/soak.py --clv "$clv" --database-url "$url" --kills "${1:-100}" --seed "${2:-1}" \
    --customers "${3:-2000}" || status=$?
psql "$admin" -q -c "drop database bench_soak"
exit $status

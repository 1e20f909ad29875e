#!/usr/bin/env bash
# Load on the postback receiver (release build, fresh database on the embedded cluster): TOTAL
# postbacks (20% duplicates, 1% malformed) from CLIENTS concurrent keep-alive loopback clients to
# `clv serve`; then the same load again, with SIGTERM to the server after half of it was answered.
# Each phase prints the JSON of bench/postback_load.py (postbacks/s, p50/p99 latency, checks).
# Usage: bench/postbacks.sh [TOTAL] [CLIENTS]
source "$(dirname "$0")/lib.sh"
total=${1:-100000}
clients=${2:-50}
url=$(fresh_database bench_postbacks)
$clv migrate --database-url "$url" >/dev/null
status=0

# start_server: runs clv serve on a free port in the background; sets server_pid and port.
start_server() {
    $clv serve --port 0 --database-url "$url" >"$work/serve.out" 2>"$work/serve.err" &
    server_pid=$!
    for _ in $(seq 100); do
        port=$(grep -o '127.0.0.1:[0-9]*' "$work/serve.out" | head -1 | cut -d: -f2) && [ -n "$port" ] && return
        sleep 0.1
    done
    echo "clv serve did not start: $(cat "$work/serve.err")" >&2
    exit 1
}

echo "== $total postbacks, $clients clients"
start_server
python3 bench/postback_load.py --port "$port" --database-url "$url" --total "$total" --clients "$clients" \
    --prefix steady || status=1
kill -TERM "$server_pid"
wait "$server_pid" || { echo "clv serve exited $? after SIGTERM" >&2; status=1; }

echo "== $total postbacks, $clients clients, SIGTERM after $((total / 2)) answers"
start_server
python3 bench/postback_load.py --port "$port" --database-url "$url" --total "$total" --clients "$clients" \
    --prefix drained --seed 2 --sigterm-pid "$server_pid" --sigterm-after $((total / 2)) || status=1
wait "$server_pid" || { echo "clv serve exited $? after SIGTERM" >&2; status=1; }

psql "$admin" -q -c "drop database bench_postbacks"
exit $status

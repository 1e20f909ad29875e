#!/usr/bin/env bash
# Audience exports: a 1M-member audience, first full export and a next-day diff with 1% churn
# (0.5% unsubscribed, 0.5% new), to a Klaviyo CSV drop and to a local HTTP sink; and, in the same
# run, `psql \copy` of the same members to CSV. Prints JSON. Usage: bench/audiences.sh [MEMBERS]
source "$(dirname "$0")/lib.sh"
members=${1:-1000000}
sink_pid=""
trap 'rm -rf "$work"; [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null || true' EXIT
url=$(fresh_database bench_audiences)

# A project with one audience and two destinations.
mkdir -p "$work/project/sql/audiences"
cp -r sql/schema "$work/project/sql/schema"
cat > "$work/project/sql/audiences/everyone.sql" <<'SQL'
-- name: everyone
-- identity: email
-- attributes: first_name, last_name
select customer_id, email, split_part(name, ' ', 1) as first_name, split_part(name, ' ', 2) as last_name
from raw.customers
SQL
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/project/audiences.yaml" <<YAML
destinations:
  - {name: klaviyo, type: file, format: klaviyo, path: $work/drop, max_rows_per_file: 250000, max_removal_share: 0.5}
  - {name: sink, type: http, url: "http://127.0.0.1:$port/members", batch_size: 5000, max_removal_share: 0.5}
YAML
python3 - "$port" > "$work/sink.log" 2>&1 <<'PY' &
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
PY
sink_pid=$!
common=(--project "$work/project" --database-url "$url")
$clv migrate "${common[@]}" >/dev/null
psql "$url" -qc "insert into raw.customers (customer_id, email, name, email_opt_in)
    select 'c' || g, 'user' || g || '@example.com', 'First' || g || ' Last' || g, true from generate_series(1, $members) g"

t0=$(now); psql "$url" -qc "\\copy (select lower(btrim(email)), split_part(name, ' ', 1), split_part(name, ' ', 2) from raw.customers) to '$work/psql.csv' with (format csv, header)"; t1=$(now)
$clv audiences export everyone --destination klaviyo --json "${common[@]}" > "$work/file_full.json"; t2=$(now)
$clv audiences export everyone --destination sink --json "${common[@]}" > "$work/http_full.json"; t3=$(now)

churn=$(( members / 200 ))
psql "$url" -qc "update raw.customers set email_opt_in = false where customer_id in (select 'c' || g from generate_series(1, $members, 200) g)"
psql "$url" -qc "insert into raw.customers (customer_id, email, name, email_opt_in)
    select 'n' || g, 'new' || g || '@example.com', 'New' || g || ' Member', true from generate_series(1, $churn) g"
t4=$(now); $clv audiences export everyone --destination klaviyo --json "${common[@]}" > "$work/file_diff.json"; t5=$(now)
$clv audiences export everyone --destination sink --json "${common[@]}" > "$work/http_diff.json"; t6=$(now)
psql "$admin" -qc "drop database bench_audiences"

python3 - "$members" "$work" "$t0" "$t1" "$t2" "$t3" "$t4" "$t5" "$t6" <<'PY'
import json, sys
members, work = int(sys.argv[1]), sys.argv[2]
t0, t1, t2, t3, t4, t5, t6 = map(float, sys.argv[3:10])
load = lambda name: json.load(open(f"{work}/{name}.json"))
ff, hf, fd, hd = load("file_full"), load("http_full"), load("file_diff"), load("http_diff")
print(json.dumps({
    "members": members,
    "psql_copy_csv_seconds": round(t1 - t0, 2),
    "file_full": {"seconds": round(t2 - t1, 2), "added": ff["added"], "batches": ff["batches"]},
    "http_full": {"seconds": round(t3 - t2, 2), "added": hf["added"], "batches": hf["batches"]},
    "file_diff_1pct": {"seconds": round(t5 - t4, 2), "added": fd["added"], "removed": fd["removed"], "unchanged": fd["unchanged"]},
    "http_diff_1pct": {"seconds": round(t6 - t5, 2), "added": hd["added"], "removed": hd["removed"], "unchanged": hd["unchanged"]},
    "file_full_vs_psql_copy": round((t2 - t1) / (t1 - t0), 2),
}, indent=2))
PY

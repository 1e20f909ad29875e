# Shared setup of the benchmarks (sourced): a scratch folder removed on exit, the release build,
# the embedded cluster's admin URL, fresh databases on it, and a clock.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[1]}")/.."
work=$(mktemp -d /tmp/clv-bench-XXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
swift build -c release --product clv >/dev/null
clv=$PWD/.build/release/clv
admin=$($clv db url | sed 's|/clv?|/postgres?|')

# fresh_database NAME: drops and creates NAME on the embedded cluster; prints its URL.
fresh_database() {
    psql "$admin" -q -c "drop database if exists $1" -c "create database $1" 2>/dev/null
    $clv db url | sed "s|/clv?|/$1?|"
}

now() { date +%s.%N; }

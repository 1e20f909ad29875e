#!/usr/bin/env bash
# A local Citus cluster for developers and CI: a coordinator and two workers on this machine,
# each its own PostgreSQL 15 cluster with Citus preloaded, reachable on 127.0.0.1 only.
#
#   scripts/citus.sh up       build and install Citus when missing, create and start the cluster,
#                             print its URL (postgresql://clv@127.0.0.1:9700/clv)
#   scripts/citus.sh down     stop the three servers (the data stays)
#   scripts/citus.sh status   say which servers run
#   scripts/citus.sh url      print the coordinator's URL
#   scripts/citus.sh reset    stop the servers and delete the cluster
#
# Citus is built from ../shared/vendor/citus-13.2.2.tar.gz (see its README) when
# PostgreSQL's lib folder has no citus.so: that needs root (or sudo) and the Debian packages
# it installs. When run as root, the servers run as the `postgres` user and the cluster lives in
# /var/lib/clv/citus; otherwise in .clv/citus of the project. CLV_CITUS_HOME and CLV_CITUS_PORT
# (the coordinator's port; workers use the next two) override both. Authentication is `trust`
# on the loopback address and the servers' own sockets: a development cluster, not a deployment.
set -euo pipefail
cd "$(dirname "$0")/.."
project=$PWD

pg_bin=$(ls -d /usr/lib/postgresql/1[5-9]/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pg_bin" ] || { echo "citus.sh: PostgreSQL 15 or newer is not installed (no /usr/lib/postgresql/*/bin)" >&2; exit 1; }
pg_version=$(basename "$(dirname "$pg_bin")")
tarball=${CLV_CITUS_TARBALL:-$project/../shared/vendor/citus-13.2.2.tar.gz}
port=${CLV_CITUS_PORT:-9700}
nodes=(coordinator worker1 worker2)
if [ "$(id -u)" = 0 ]; then
    home=${CLV_CITUS_HOME:-/var/lib/clv/citus}
    as_server() { su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; }
    owner=postgres
else
    home=${CLV_CITUS_HOME:-$project/.clv/citus}
    as_server() { "$@"; }
    owner=$(id -un)
fi
url="postgresql://clv@127.0.0.1:$port/clv"

node_port() { echo $((port + $1)); }
node_dir() { echo "$home/${nodes[$1]}"; }
running() { as_server "$pg_bin/pg_ctl" status -D "$(node_dir "$1")" >/dev/null 2>&1; }

# Builds Citus from the vendored source and installs it into PostgreSQL (root or sudo).
install_citus() {
    local libdir sudo="" build
    libdir=$("$pg_bin/pg_config" --pkglibdir)
    [ -f "$libdir/citus.so" ] && return 0
    [ -f "$tarball" ] || { echo "citus.sh: Citus is not installed and $tarball is missing" >&2; exit 1; }
    [ "$(id -u)" = 0 ] || sudo=sudo
    echo "citus.sh: building Citus from $(basename "$tarball") (about 3 minutes)" >&2
    # The server headers must match the installed server exactly: a newer one upgrades the server.
    local server_version
    server_version=$(dpkg-query -W -f='${Version}' "postgresql-$pg_version")
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends --no-upgrade \
        "postgresql-server-dev-$pg_version=$server_version" autoconf flex libcurl4-gnutls-dev libicu-dev \
        libkrb5-dev liblz4-dev libpam0g-dev libreadline-dev libselinux1-dev libssl-dev libxslt1-dev \
        libzstd-dev make uuid-dev gcc >/dev/null
    build=$(mktemp -d /tmp/clv-citus-build-XXXX)
    tar -xzf "$tarball" -C "$build" --strip-components=1
    (cd "$build" && ./configure -q PG_CONFIG="$pg_bin/pg_config" >/dev/null && make -s -j"$(nproc)" >/dev/null 2>&1 \
        && $sudo make -s install >/dev/null 2>&1)
    rm -rf "$build"
    [ -f "$libdir/citus.so" ] || { echo "citus.sh: the Citus build did not install citus.so" >&2; exit 1; }
}

# Creates node $1's cluster when missing, with Citus preloaded and clv's settings.
create_node() {
    local dir
    dir=$(node_dir "$1")
    [ -f "$dir/PG_VERSION" ] && return 0
    mkdir -p "$dir"
    chmod 700 "$dir"
    chown "$owner:" "$dir"
    as_server "$pg_bin/initdb" -D "$dir" -U clv --auth=trust --encoding=UTF8 --locale=C --no-sync >/dev/null
    cat >> "$dir/postgresql.conf" <<CONF

# Managed by scripts/citus.sh
shared_preload_libraries = 'citus'
port = $(node_port "$1")
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 256MB
max_wal_size = 4GB
citus.shard_count = 8
CONF
}

up() {
    install_citus
    if [ "$(id -u)" = 0 ]; then
        mkdir -p "$home"
        chmod 755 "$(dirname "$home")" "$home"
    else
        mkdir -p "$home"
    fi
    local i fresh=0
    for i in 0 1 2; do
        [ -f "$(node_dir $i)/PG_VERSION" ] || fresh=1
        create_node $i
        if ! running $i; then
            as_server "$pg_bin/pg_ctl" start -D "$(node_dir $i)" -l "$(node_dir $i)/server.log" -w -t 60 >/dev/null
        fi
    done
    for i in 0 1 2; do
        local node="postgresql://clv@127.0.0.1:$(node_port $i)"
        psql "$node/postgres" -qAtc "select 1 from pg_database where datname = 'clv'" | grep -q 1 \
            || psql "$node/postgres" -qc "create database clv"
        PGOPTIONS="-c client_min_messages=warning" psql "$node/clv" -qc "create extension if not exists citus"
    done
    if [ $fresh = 1 ] || [ "$(psql "$url" -qAtc "select count(*) from pg_dist_node")" != 3 ]; then
        psql "$url" -qAt -c "select citus_set_coordinator_host('127.0.0.1', $port)" \
            -c "select citus_add_node('127.0.0.1', $(node_port 1))" \
            -c "select citus_add_node('127.0.0.1', $(node_port 2))" >/dev/null
    fi
    echo "$url"
}

down() {
    local i
    for i in 2 1 0; do
        running $i && as_server "$pg_bin/pg_ctl" stop -D "$(node_dir $i)" -m fast -w >/dev/null
    done
    return 0
}

status() {
    local i
    for i in 0 1 2; do
        if running $i; then echo "${nodes[$i]}: running on 127.0.0.1:$(node_port $i)"
        else echo "${nodes[$i]}: stopped"; fi
    done
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    status) status ;;
    url) echo "$url" ;;
    reset) down; rm -rf "$home" ;;
    *) echo "usage: scripts/citus.sh up|down|status|url|reset" >&2; exit 2 ;;
esac

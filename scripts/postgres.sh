#!/usr/bin/env bash
# A private PostgreSQL for the tests of the PostgreSQL backend (issue 26).
#
#   bash scripts/postgres.sh start   # installs Debian's postgresql if missing, creates a cluster
#                                    # in a temporary directory, starts it, prints its URL
#   bash scripts/postgres.sh start --durable
#                                    # the same with fsync, full-page writes and synchronous
#                                    # commits on: every commit waits for the disk (benchmarks of
#                                    # durable writes, benches/postgres.rs)
#   bash scripts/postgres.sh env     # prints `export TRIALOG_POSTGRES_URL=…` of the running one
#   bash scripts/postgres.sh stop    # stops it and removes the directory
#
# The cluster listens on a unix socket inside its own directory only (no TCP port, so runs in
# several worktrees at once do not collide) and trusts local connections: it is for tests, not
# for data. It does not fsync (its data is thrown away with it; transactions, locks and
# isolation are unchanged): every durable commit waited for the busy disk otherwise, and the
# whole core suite on PostgreSQL commits hundreds of thousands of times. `--durable` turns
# fsync, full_page_writes and synchronous_commit on (PostgreSQL's own defaults, as in
# production), for figures of durable writes; the directory stays on the disk of /tmp (not a
# tmpfs here: check `df /tmp` elsewhere). A running cluster keeps the mode it was started with:
# `start` with the other mode refuses until it is stopped. PostgreSQL refuses to run as root: as root, the cluster belongs to a dedicated
# system user `trialogpg` (created when missing). State: target/postgres.state of this checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
state="$PWD/target/postgres.state"
pg_user=trialogpg

bin_dir() {
    local initdb
    initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$initdb" ] && dirname "$initdb"
}

install_postgres() {
    if [ -z "$(bin_dir)" ]; then
        echo "installing Debian's postgresql" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq postgresql >&2
    fi
    bin_dir
}

# Runs a command as the cluster's owner: ourselves, or the dedicated user when we are root.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$pg_user" -- "$@"
    else
        "$@"
    fi
}

url_of() { printf 'postgresql:///trialog?user=trialog&host=%s' "$1"; }

# The settings of a mode: `fast` (tests) or `durable` (benchmarks of durable writes).
settings_of() {
    case "$1" in
        durable) echo "-c fsync=on -c full_page_writes=on -c synchronous_commit=on" ;;
        *) echo "-c fsync=off -c full_page_writes=off" ;;
    esac
}

# The mode the running cluster was started with (clusters from before modes were fast).
mode_of() { cat "$1/mode" 2>/dev/null || echo fast; }

start() {
    local mode=$1
    if [ -f "$state" ] && status >/dev/null; then
        local dir running
        dir=$(cat "$state")
        running=$(mode_of "$dir")
        if [ "$running" != "$mode" ]; then
            echo "a $running PostgreSQL of this checkout is running; stop it first (bash scripts/postgres.sh stop)" >&2
            exit 1
        fi
        url_of "$dir"; echo
        return
    fi
    local bin dir
    bin=$(install_postgres)
    if [ "$(id -u)" -eq 0 ] && ! id "$pg_user" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_user"
    fi
    dir=$(mktemp -d /tmp/trialog-pg.XXXXXX)
    [ "$(id -u)" -eq 0 ] && chown "$pg_user" "$dir"
    chmod 711 "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U trialog --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=300 $(settings_of "$mode")" start >/dev/null \
        || { cat "$dir/server.log" >&2; rm -rf "$dir"; exit 1; }
    as_owner "$bin/createdb" -h "$dir" -U trialog trialog
    echo "$mode" >"$dir/mode"
    mkdir -p "$(dirname "$state")"
    echo "$dir" >"$state"
    url_of "$dir"; echo
}

status() {
    local dir bin
    dir=$(cat "$state")
    bin=$(bin_dir)
    [ -n "$bin" ] && [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

stop() {
    [ -f "$state" ] || { echo "no PostgreSQL of this checkout is running" >&2; return 0; }
    local dir bin
    dir=$(cat "$state")
    bin=$(bin_dir)
    if [ -n "$bin" ] && [ -d "$dir/data" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    case "$dir" in /tmp/trialog-pg.*) rm -rf "$dir" ;; esac
    rm -f "$state"
}

case "${1:-}" in
    start)
        case "${2:-}" in
            "") start fast ;;
            --durable) start durable ;;
            *) echo "usage: $0 start [--durable]" >&2; exit 2 ;;
        esac
        ;;
    stop) stop ;;
    env)
        [ -f "$state" ] && status || { echo "not running: bash scripts/postgres.sh start" >&2; exit 1; }
        printf 'export TRIALOG_POSTGRES_URL=%q\n' "$(url_of "$(cat "$state")")"
        ;;
    *) echo "usage: $0 start [--durable]|stop|env" >&2; exit 2 ;;
esac

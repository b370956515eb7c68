#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests of bigaccount.store.
#
#   eval "$(bash .ci/postgres.sh start)"   # installs PostgreSQL if missing, starts a cluster
#   bash .ci/postgres.sh stop              # stops it and deletes its files
#
# `start` prints only shell `export` lines on stdout (everything else goes to stderr):
#   BIGACCOUNT_TEST_POSTGRES  a libpq URL of an empty database; the store tests run
#                             against PostgreSQL when it is set
#   BIGACCOUNT_PG_DIR         the cluster's directory (data, log and unix socket)
# The same lines are written to the state file below, so that `stop` finds the cluster
# even when the variables were not exported.
#
# The cluster listens on a unix socket in its own directory and on no TCP port, trusts
# local connections, and is owned by the `postgres` user when run as root (the server
# refuses to run as root). Its directory is made under $BIGACCOUNT_PG_ROOT, else under
# /dev/shm when that is a writable directory (a throwaway cluster has no use for the
# disk's flush latency, which on a shared CI disk makes each commit cost milliseconds),
# else under /tmp.
set -euo pipefail

STATE="${BIGACCOUNT_PG_STATE:-/tmp/bigaccount-postgres.env}"

log() { echo "postgres.sh: $*" >&2; }

bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    done
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
        return 0
    fi
    return 1
}

install_postgres() {
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        log "PostgreSQL is not installed; install Debian's postgresql package (needs root)"
        exit 1
    fi
    log "installing Debian's postgresql package"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
}

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

stop() {
    local dir="${BIGACCOUNT_PG_DIR:-}"
    if [ -z "$dir" ] && [ -f "$STATE" ]; then
        dir="$(sed -n "s/^export BIGACCOUNT_PG_DIR='\(.*\)'$/\1/p" "$STATE")"
    fi
    if [ -z "$dir" ] || [ ! -d "$dir" ]; then
        log "no cluster to stop"
        rm -f "$STATE"
        return 0
    fi
    local bin
    bin="$(bindir)" || { log "pg_ctl not found; removing $dir"; rm -rf "$dir" "$STATE"; return 0; }
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >&2 || true
    fi
    rm -rf "$dir" "$STATE"
    log "stopped and removed $dir"
}

start() {
    if [ -f "$STATE" ]; then
        stop
    fi
    local bin
    bin="$(bindir)" || { install_postgres; bin="$(bindir)"; }
    local root="${BIGACCOUNT_PG_ROOT:-}"
    if [ -z "$root" ]; then
        if [ -d /dev/shm ] && [ -w /dev/shm ]; then root=/dev/shm; else root=/tmp; fi
    fi
    local dir
    dir="$(mktemp -d "$root/bigaccount-pg.XXXXXX")"
    chmod 755 "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$dir"
    fi
    as_owner "$bin/initdb" -D "$dir/data" -U bigaccount -A trust -E UTF8 --locale=C \
        --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=50" \
        start >&2 || { cat "$dir/server.log" >&2; exit 1; }
    "$bin/createdb" -h "$dir" -U bigaccount bigaccount >&2
    {
        echo "export BIGACCOUNT_TEST_POSTGRES='postgresql://bigaccount@/bigaccount?host=$dir'"
        echo "export BIGACCOUNT_PG_DIR='$dir'"
    } >"$STATE"
    log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') listening on $dir"
    cat "$STATE"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *)
        echo "usage: $0 start|stop" >&2
        exit 2
        ;;
esac

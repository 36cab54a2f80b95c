#!/usr/bin/env bash
# The project's private PostgreSQL cluster: data and socket under .state/, loopback only,
# on its own port; never the machine's default cluster.
# Usage: pg.sh start|stop|status|psql [db]
set -euo pipefail
. "$(dirname "$0")/env.sh"

PGBIN=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && PGBIN=$d; done
[ -n "$PGBIN" ] || die "PostgreSQL server binaries not found (Debian package 'postgresql'); run 'make setup'."

as_pg() {
    # PostgreSQL refuses to run as root: use the postgres OS account then.
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    mkdir -p "$STATE_DIR" "$PG_SOCKET"
    [ "$(id -u)" = 0 ] && chown postgres "$PG_SOCKET"
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        say "Creating the private PostgreSQL cluster in $PG_DATA"
        mkdir -p "$PG_DATA"
        [ "$(id -u)" = 0 ] && chown postgres "$PG_DATA"
        as_pg "$PGBIN/initdb" -D "$PG_DATA" -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        return
    fi
    touch "$STATE_DIR/postgresql.log"
    [ "$(id -u)" = 0 ] && chown postgres "$STATE_DIR/postgresql.log"
    say "Starting PostgreSQL on 127.0.0.1:$PG_PORT (socket $PG_SOCKET)"
    as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" -l "$STATE_DIR/postgresql.log" -w -t 60 \
        -o "-k $PG_SOCKET -p $PG_PORT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || die "PostgreSQL did not start; see $STATE_DIR/postgresql.log"
    as_pg "$PGBIN/psql" -h "$PG_SOCKET" -p "$PG_PORT" -d postgres -qtAc \
        "SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'" | grep -q 1 ||
        as_pg "$PGBIN/psql" -h "$PG_SOCKET" -p "$PG_PORT" -d postgres -qc \
            "CREATE ROLE $PG_USER LOGIN SUPERUSER"
}

stop() {
    if [ -f "$PG_DATA/PG_VERSION" ] && as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        say "Stopping PostgreSQL"
        as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" status ;;
    psql) shift; start; exec psql -h "$PG_SOCKET" -p "$PG_PORT" -U "$PG_USER" "${1:-$DEMO_DB}" ;;
    *) die "usage: pg.sh start|stop|status|psql [db]" ;;
esac

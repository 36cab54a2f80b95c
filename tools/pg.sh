#!/usr/bin/env bash
# The project's private PostgreSQL cluster: loopback only, on its own port; never the
# machine's default cluster.
#
# Where it lives: data, socket and log under .state/. PostgreSQL refuses to run as root,
# so when root runs this the server runs as the `postgres` account, which cannot enter
# root's home or a `mktemp -d` folder; for such a checkout the cluster lives in
# $PG_OUTSIDE/<checkout>-<hash of its .state path> instead, and .state/pg points there
# (two clones, two folders). A cluster made earlier stays where it is.
#
# Roles: the bootstrap superuser (`postgres`, used here only to create and fix roles)
# and $PG_USER, the role Odoo connects as: LOGIN CREATEDB, no superuser, so it owns its
# own databases and nothing else. Clusters made by older checkouts gave it SUPERUSER:
# every start takes it back.
#
# Usage: pg.sh start | stop | status | psql [db] | admin-psql [db] | remove
set -euo pipefail
. "$(dirname "$0")/env.sh"
PG_OUTSIDE=${ST_PG_OUTSIDE:-/var/lib/serial-traceability}

PGBIN=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && PGBIN=$d; done
[ -n "$PGBIN" ] || die "PostgreSQL server binaries not found (Debian package 'postgresql'); run 'make setup'."

is_root() { [ "$(id -u)" = 0 ]; }

as_pg() {
    # PostgreSQL refuses to run as root: use the postgres OS account then, from a folder
    # it may enter (initdb and pg_ctl go back to the current folder, which may be root's).
    if is_root; then
        id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

place_cluster() {
    # Before the first initdb only: move the cluster's home out of a checkout that the
    # `postgres` account cannot reach.
    is_root || return 0
    [ -z "${ST_PG_DATA:-}${ST_PG_SOCKET:-}" ] || return 0
    [ ! -L "$STATE_DIR/pg" ] && [ ! -f "$PG_DATA/PG_VERSION" ] || return 0
    as_pg test -x "$STATE_DIR" && return 0
    local key name home
    key=$(printf '%s' "$(cd "$STATE_DIR" && pwd -P)" | cksum | cut -d' ' -f1)
    name=$(basename "$ROOT" | tr -c 'A-Za-z0-9._\n-' '_' | cut -c1-24)
    home=$PG_OUTSIDE/$name-$key
    say "$ROOT is closed to the postgres account: the cluster lives in $home (.state/pg)"
    mkdir -p "$PG_OUTSIDE" "$home"
    chmod 755 "$PG_OUTSIDE"
    printf '%s\n' "$ROOT" > "$home/checkout"   # whose cluster this is, for a person cleaning up
    chown postgres "$home"
    chmod 700 "$home"
    ln -sfn "$home" "$STATE_DIR/pg"
    . "$(dirname "$0")/env.sh"
}

psql_admin() {
    # psql as the cluster's bootstrap superuser: `postgres` (initdb -U postgres), or the
    # OS user who ran initdb in clusters made by older checkouts without root.
    local who
    for who in postgres "$(id -un)"; do
        if as_pg "$PGBIN/psql" -h "$PG_SOCKET" -p "$PG_PORT" -U "$who" -d postgres -qtAc \
                'SELECT 1' >/dev/null 2>&1; then
            as_pg "$PGBIN/psql" -h "$PG_SOCKET" -p "$PG_PORT" -U "$who" -v ON_ERROR_STOP=1 "$@"
            return
        fi
    done
    die "no superuser role answers in the cluster at $PG_SOCKET"
}

ensure_odoo_role() {
    psql_admin -d postgres -qtA -v role="$PG_USER" <<'SQL' >/dev/null
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') AS missing \gset
\if :missing
CREATE ROLE :"role" LOGIN CREATEDB;
\endif
ALTER ROLE :"role" LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS;
SQL
}

start() {
    mkdir -p "$STATE_DIR"
    place_cluster
    if [ ! -d "$PG_SOCKET" ]; then
        mkdir -p "$PG_SOCKET"
        chmod 700 "$PG_SOCKET"
        if is_root; then chown postgres "$PG_SOCKET"; fi
    fi
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        say "Creating the private PostgreSQL cluster in $PG_DATA"
        mkdir -p "$PG_DATA"
        if is_root; then chown postgres "$PG_DATA"; fi
        # Socket: trust (the folder is the server's own, mode 700); TCP: passwords only,
        # and no role has one.
        as_pg "$PGBIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust \
            --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        touch "$PG_LOG"
        if is_root; then chown postgres "$PG_LOG"; fi
        say "Starting PostgreSQL on 127.0.0.1:$PG_PORT (socket $PG_SOCKET)"
        as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
            -o "-k $PG_SOCKET -p $PG_PORT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null || die "PostgreSQL did not start; see $PG_LOG"
    fi
    ensure_odoo_role
}

stop() {
    if [ -f "$PG_DATA/PG_VERSION" ] && as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        say "Stopping PostgreSQL"
        as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    fi
}

remove() {
    # make reset: this checkout's cluster (every database in it) and .state/; not the venv.
    stop
    if [ -L "$STATE_DIR/pg" ]; then
        local home; home=$(readlink -f "$STATE_DIR/pg")
        case "$home" in
            "$PG_OUTSIDE"/?*) say "Removing $home"; rm -rf "$home" ;;
            *) say "Left $home alone (not under $PG_OUTSIDE)" ;;
        esac
    fi
    say "Removing $STATE_DIR"
    rm -rf "$STATE_DIR"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" status ;;
    psql) shift; start; exec psql -h "$PG_SOCKET" -p "$PG_PORT" -U "$PG_USER" "${1:-$DEMO_DB}" ;;
    admin-psql) shift; start; psql_admin -d "${1:-$DEMO_DB}" ;;
    remove) remove ;;
    *) die "usage: pg.sh start|stop|status|psql [db]|admin-psql [db]|remove" ;;
esac

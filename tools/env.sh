# Shared settings for the tools/ scripts: sourced, never run.
# Every port and directory can be overridden from the environment; the defaults are
# derived from the checkout's path so a second clone on the same machine never collides
# with a running `make run` of the first.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_slot=$(( $(printf '%s' "$ROOT" | cksum | cut -d' ' -f1) % 500 ))
STATE_DIR=${ST_STATE_DIR:-$ROOT/.state}
VENV=${ST_VENV:-$ROOT/.venv}
PG_PORT=${ST_PG_PORT:-$(( 55000 + _slot ))}
# The cluster's home: .state/ itself, or the folder .state/pg points to when the
# checkout lies where the `postgres` account cannot go (see tools/pg.sh).
PG_HOME=$STATE_DIR
[ -L "$STATE_DIR/pg" ] && PG_HOME=$(readlink -f "$STATE_DIR/pg")
PG_DATA=${ST_PG_DATA:-$PG_HOME/pgdata}
PG_SOCKET=${ST_PG_SOCKET:-$PG_HOME/pgsocket}
PG_LOG=$PG_HOME/postgresql.log
# Odoo's role: LOGIN CREATEDB, no superuser (tools/pg.sh, docs/install.md).
PG_USER=${ST_PG_USER:-odoo}
HTTP_PORT=${ST_HTTP_PORT:-8069}
HTTP_INTERFACE=${ST_HTTP_INTERFACE:-127.0.0.1}
TEST_HTTP_PORT=${ST_TEST_HTTP_PORT:-$(( 18000 + _slot ))}
DEMO_DB=${ST_DEMO_DB:-serial_demo}
ODOO_CONF=$STATE_DIR/odoo.conf
MASTER_PASSWORD_FILE=$STATE_DIR/master-password
PY="$VENV/bin/python"

# The address a browser or curl on this machine reaches the server at.
http_url() {
    local host=$HTTP_INTERFACE
    case "$host" in ""|0.0.0.0|127.0.0.1|"::") host=localhost ;; esac
    printf 'http://%s:%s' "$host" "${1:-$HTTP_PORT}"
}

say() { printf '\033[1m[serial_traceability]\033[0m %s\n' "$*"; }
die() { printf '[serial_traceability] ERROR: %s\n' "$*" >&2; exit 1; }

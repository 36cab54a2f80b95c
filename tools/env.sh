# Shared settings for the tools/ scripts: sourced, never run.
# Every port and directory can be overridden from the environment; the defaults are
# derived from the checkout's path so a second clone on the same machine never collides
# with a running `make run` of the first.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_slot=$(( $(printf '%s' "$ROOT" | cksum | cut -d' ' -f1) % 500 ))
STATE_DIR=${ST_STATE_DIR:-$ROOT/.state}
VENV=${ST_VENV:-$ROOT/.venv}
PG_PORT=${ST_PG_PORT:-$(( 55000 + _slot ))}
PG_DATA=${ST_PG_DATA:-$STATE_DIR/pgdata}
PG_SOCKET=${ST_PG_SOCKET:-$STATE_DIR/pgsocket}
PG_USER=${ST_PG_USER:-odoo}
HTTP_PORT=${ST_HTTP_PORT:-8069}
TEST_HTTP_PORT=${ST_TEST_HTTP_PORT:-$(( 18000 + _slot ))}
DEMO_DB=${ST_DEMO_DB:-serial_demo}
ODOO_CONF=$STATE_DIR/odoo.conf
PY="$VENV/bin/python"

say() { printf '\033[1m[serial_traceability]\033[0m %s\n' "$*"; }
die() { printf '[serial_traceability] ERROR: %s\n' "$*" >&2; exit 1; }

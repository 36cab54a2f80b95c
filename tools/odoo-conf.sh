#!/usr/bin/env bash
# Writes .state/odoo.conf for the private cluster and this checkout's addons.
set -euo pipefail
. "$(dirname "$0")/env.sh"
site=$("$PY" -c 'import odoo, os; print(os.path.dirname(odoo.__file__))')
mkdir -p "$STATE_DIR/filestore"
cat > "$ODOO_CONF" <<CONF
[options]
db_host = $PG_SOCKET
db_port = $PG_PORT
db_user = $PG_USER
db_password = False
addons_path = $site/addons,$ROOT
data_dir = $STATE_DIR/filestore
http_port = $HTTP_PORT
admin_passwd = admin
list_db = True
without_demo = False
log_level = info
CONF

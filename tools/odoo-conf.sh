#!/usr/bin/env bash
# Writes .state/odoo.conf for the private cluster and this checkout's addons.
# Safe defaults for a server someone may leave running: it listens on 127.0.0.1 only
# (ST_HTTP_INTERFACE=0.0.0.0 to serve the network), the database manager is off
# (list_db = False), and the master password is generated once, kept in
# .state/master-password (mode 600), and stored in odoo.conf only as a hash.
set -euo pipefail
. "$(dirname "$0")/env.sh"
site=$("$PY" -c 'import odoo, os; print(os.path.dirname(odoo.__file__))')
mkdir -p "$STATE_DIR/filestore"
if [ ! -s "$MASTER_PASSWORD_FILE" ]; then
    (umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(18))' > "$MASTER_PASSWORD_FILE")
    say "Generated the master password (database manager, off by default): $MASTER_PASSWORD_FILE"
fi
chmod 600 "$MASTER_PASSWORD_FILE"
master_hash=$("$PY" -c 'import sys
from passlib.context import CryptContext
print(CryptContext(schemes=["pbkdf2_sha512"]).hash(sys.stdin.read().strip()))' < "$MASTER_PASSWORD_FILE")
(umask 077; cat > "$ODOO_CONF" <<CONF
[options]
db_host = $PG_SOCKET
db_port = $PG_PORT
db_user = $PG_USER
db_password = False
addons_path = $site/addons,$ROOT
data_dir = $STATE_DIR/filestore
http_interface = $HTTP_INTERFACE
http_port = $HTTP_PORT
admin_passwd = $master_hash
list_db = False
without_demo = False
log_level = info
CONF
)
chmod 600 "$ODOO_CONF"

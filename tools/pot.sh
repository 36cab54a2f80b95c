#!/usr/bin/env bash
# Regenerates serial_traceability/i18n/serial_traceability.pot from a throwaway database.
set -euo pipefail
. "$(dirname "$0")/env.sh"
. "$(dirname "$0")/odoo.sh"
db=st_pot_$TEST_HTTP_PORT
drop_db "$db"
install_db "$db" --without-demo=all
mkdir -p "$ROOT/serial_traceability/i18n"
odoo_bin -d "$db" --modules=serial_traceability --stop-after-init --log-level=warn \
    --http-port="$TEST_HTTP_PORT" --i18n-export="$ROOT/serial_traceability/i18n/serial_traceability.pot"
drop_db "$db"
say "serial_traceability/i18n/serial_traceability.pot regenerated"

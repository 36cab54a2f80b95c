#!/usr/bin/env bash
# Regenerates serial_traceability/i18n/serial_traceability.pot from a throwaway database.
set -euo pipefail
. "$(dirname "$0")/env.sh"
. "$(dirname "$0")/odoo.sh"
db=st_pot_$TEST_HTTP_PORT
drop_db "$db"
install_db "$db" --without-demo=all
mkdir -p "$ROOT/serial_traceability/i18n"
# Odoo 11 exports only to .po/.csv/.tgz; without a language the .po is the template.
tmp=$(mktemp -d)
odoo_bin -d "$db" --modules=serial_traceability --stop-after-init --log-level=warn \
    --http-port="$TEST_HTTP_PORT" --i18n-export="$tmp/serial_traceability.po"
mv "$tmp/serial_traceability.po" "$ROOT/serial_traceability/i18n/serial_traceability.pot"
rmdir "$tmp"
drop_db "$db"
say "serial_traceability/i18n/serial_traceability.pot regenerated"

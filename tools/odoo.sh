# Helpers for the tools/ scripts that start Odoo: sourced, never run.
odoo_bin() { "$PY" "$ROOT/tools/odoo" -c "$ODOO_CONF" "$@"; }

db_exists() {
    [ "$(psql -h "$PG_SOCKET" -p "$PG_PORT" -U "$PG_USER" -d postgres -qtAc \
        "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

drop_db() { dropdb -h "$PG_SOCKET" -p "$PG_PORT" -U "$PG_USER" --if-exists "$1"; }

# install_db NAME [extra odoo args]: a database with serial_traceability installed.
install_db() {
    local db=$1; shift
    odoo_bin -d "$db" -i serial_traceability --stop-after-init --log-level=warn \
        --http-port="$TEST_HTTP_PORT" --max-cron-threads=0 "$@"
}

#!/usr/bin/env bash
# make run: Odoo with serial_traceability and the demo scenario at http://localhost:$HTTP_PORT
# (listening on $HTTP_INTERFACE: 127.0.0.1 unless ST_HTTP_INTERFACE says otherwise).
set -euo pipefail
. "$(dirname "$0")/env.sh"
. "$(dirname "$0")/odoo.sh"
PIDFILE=$STATE_DIR/odoo.pid
LOG=$STATE_DIR/odoo.log

if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    say "Odoo already runs (pid $(cat "$PIDFILE")) at $(http_url)"
    exit 0
fi
# The addon's code as the database last saw it: changed code means a module update.
code_stamp=$(cd "$ROOT" && find serial_traceability -type f ! -path '*/__pycache__/*' \
    ! -path '*/tests/*' -print0 | sort -z | xargs -0 cksum | cksum)
STAMP=$STATE_DIR/$DEMO_DB.code
if ! db_exists "$DEMO_DB"; then
    say "Creating database $DEMO_DB with serial_traceability and its demo factory (a few minutes)"
    odoo_bin -d "$DEMO_DB" -i serial_traceability --stop-after-init --log-level=warn \
        --http-port="$HTTP_PORT" --max-cron-threads=0 || {
        drop_db "$DEMO_DB"; die "Installing the addon failed; see the messages above."; }
    echo "$code_stamp" > "$STAMP"
elif [ "$(cat "$STAMP" 2>/dev/null)" != "$code_stamp" ]; then
    say "The addon's code changed: updating serial_traceability in $DEMO_DB"
    odoo_bin -d "$DEMO_DB" -u serial_traceability --stop-after-init --log-level=warn \
        --http-port="$HTTP_PORT" --max-cron-threads=0 ||
        die "Updating the addon failed; see the messages above."
    echo "$code_stamp" > "$STAMP"
fi
say "Starting Odoo on $(http_url), listening on ${HTTP_INTERFACE:-every interface} (log: $LOG)"
nohup "$PY" "$ROOT/tools/odoo" -c "$ODOO_CONF" -d "$DEMO_DB" --db-filter="^$DEMO_DB\$" \
    --http-port="$HTTP_PORT" --http-interface="$HTTP_INTERFACE" > "$LOG" 2>&1 &
echo $! > "$PIDFILE"
for _ in $(seq 1 60); do
    if curl -sf -o /dev/null "$(http_url)/web/login"; then
        say "Ready: $(http_url)  (login admin / admin; demo users in README.md). 'make stop' stops it."
        say "Database manager off (list_db = False); master password in $MASTER_PASSWORD_FILE"
        exit 0
    fi
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || die "Odoo stopped at start; see $LOG"
    sleep 1
done
die "Odoo did not answer on port $HTTP_PORT within 60 s; see $LOG"

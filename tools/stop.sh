#!/usr/bin/env bash
# make stop: stops the Odoo server and the PostgreSQL cluster that make run started.
set -euo pipefail
. "$(dirname "$0")/env.sh"
PIDFILE=$STATE_DIR/odoo.pid
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    say "Stopping Odoo (pid $(cat "$PIDFILE"))"
    kill "$(cat "$PIDFILE")"
    for _ in $(seq 1 20); do kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break; sleep 0.5; done
fi
rm -f "$PIDFILE"
"$(dirname "$0")/pg.sh" stop

#!/usr/bin/env bash
# make test: every test, on throwaway databases (never the demo database).
#   1. host-free library tests (plain pytest)
#   2. Odoo tests (pytest-odoo, each test rolled back) on a database with the demo
#   3. browser and install tests (tests_e2e/: real Chromium, real Odoo server)
# Pass pytest arguments through ST_PYTEST_ARGS, e.g. ST_PYTEST_ARGS="-k genealogy" or,
# quoted as in a shell, ST_PYTEST_ARGS="-k 'recall and not ui'".
set -uo pipefail
. "$(dirname "$0")/env.sh"
. "$(dirname "$0")/odoo.sh"
cd "$ROOT"
TEST_DB=${ST_TEST_DB:-st_test_$TEST_HTTP_PORT}
OUT=$STATE_DIR/test-results
rm -rf "$OUT"; mkdir -p "$OUT"
export ST_TEST_DB=$TEST_DB ST_TEST_HTTP_PORT=$TEST_HTTP_PORT ST_ODOO_CONF=$ODOO_CONF
status=0
eval "extra=(${ST_PYTEST_ARGS:-})"

say "1/3 library tests"
"$VENV/bin/pytest" -p no:odoo -p no:cacheprovider -q serial_traceability/lib/tests serial_traceability/sql/tests \
    --junitxml="$OUT/lib.xml" "${extra[@]}" || status=1

say "2/3 Odoo tests: installing serial_traceability with its demo in $TEST_DB"
drop_db "$TEST_DB"
if install_db "$TEST_DB"; then
    "$VENV/bin/pytest" -p no:cacheprovider -q -W ignore::DeprecationWarning --odoo-config="$ODOO_CONF" \
        --odoo-database="$TEST_DB" serial_traceability/tests benchmarks/tests \
        --junitxml="$OUT/odoo.xml" "${extra[@]}" || status=1
else
    say "installing the addon failed"; status=1
fi

say "3/3 browser and install tests"
"$VENV/bin/pytest" -p no:odoo -p no:cacheprovider -q tests_e2e \
    --junitxml="$OUT/e2e.xml" "${extra[@]}" || status=1
drop_db "$TEST_DB"

"$PY" "$ROOT/tools/junit_total.py" "$OUT"/*.xml || status=1
exit $status

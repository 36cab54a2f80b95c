#!/usr/bin/env bash
# The quick benchmarks, one after the other; each prints its RESULT lines.
# Full scale: see docs/performance.md (e.g. benchmarks/genealogy.py --scale full).
set -euo pipefail
. "$(dirname "$0")/env.sh"
bash "$ROOT/tools/pg.sh" start
cd "$ROOT"
for script in genealogy unit_history recall scan_per_line audit_overhead; do
    say "benchmarks/$script.py"
    "$PY" "benchmarks/$script.py" | grep '^RESULT' || say "benchmarks/$script.py failed"
done

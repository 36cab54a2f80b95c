#!/usr/bin/env bash
# Runs a program of the project's venv ($ST_VENV, else .venv/): make lint and the
# pre-commit hooks go through it, so a shared venv works as well as a local one.
set -euo pipefail
. "$(dirname "$0")/env.sh"
prog=$1; shift
exec "$VENV/bin/$prog" "$@"

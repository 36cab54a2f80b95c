# The README's contract: `make run` runs the product, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help setup run stop reset psql test lint bench pot

help:
	@echo "make run    - install what is missing, start PostgreSQL and Odoo with the demo at http://localhost:8069"
	@echo "              (listens on 127.0.0.1; ST_HTTP_INTERFACE=0.0.0.0 to serve the network)"
	@echo "make test   - install what is missing, then run every test (lib, Odoo, browser)"
	@echo "make stop   - stop what make run started"
	@echo "make reset  - stop, then delete this checkout's cluster and databases (.state/; not .venv/)"
	@echo "make psql   - psql on serial_demo in the project's cluster"
	@echo "make lint   - pre-commit: flake8 and pylint-odoo"
	@echo "make bench  - the quick benchmarks (see docs/performance.md for --scale full)"
	@echo "make pot    - regenerate the translation template i18n/serial_traceability.pot"

setup:
	@bash tools/setup.sh

run: setup
	@bash tools/run.sh

stop:
	@bash tools/stop.sh

reset: stop
	@bash tools/pg.sh remove

psql: setup
	@bash tools/pg.sh psql

test: setup
	@bash tools/test.sh

lint: setup
	@bash tools/venv-exec.sh pre-commit run --all-files

bench: setup
	@bash tools/bench.sh

pot: setup
	@bash tools/pot.sh

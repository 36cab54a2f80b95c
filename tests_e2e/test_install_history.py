"""Installing the addon on a database where it never was, with history already in it.

Runs ``benchmarks/install_on_history.py --scale tiny``: a database with stock and mrp
only gets 40 finished serials of history through the host's flows (receipts,
multi-serial MOs, deliveries, a return and re-shipment, two unbuilds) plus history the
addon cannot read; then ``-i serial_traceability`` and ``-u`` for real. Its links, kept
closure and lot columns must equal those of a database where the addon was installed
before the same history, the unreadable rows must be reported by id, and the ``-u``
must redo no backfill.
"""
import os
import subprocess
import sys

from conftest import CONF, DB, PORT, ROOT


def test_install_on_a_database_with_history():
    env = dict(os.environ, ST_ODOO_CONF=CONF, ST_BENCH_HTTP_PORT=str(PORT + 2))
    done = subprocess.run(
        [sys.executable, os.path.join(ROOT, "benchmarks", "install_on_history.py"),
         "--scale", "tiny", "--db", DB + "_history"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, env=env,
        cwd=ROOT)
    assert done.returncode == 0, done.stdout[-4000:]
    result = [line for line in done.stdout.splitlines()
              if line.startswith("RESULT install_on_history ")]
    assert result and "same_state=yes" in result[0], done.stdout[-4000:]
    assert "redone_on_upgrade=0" in result[0]
    assert "reported in the install log: yes" in done.stdout

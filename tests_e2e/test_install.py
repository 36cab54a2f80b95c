"""A production database has no demo data: the addon must install cleanly there."""
import os
import subprocess
import sys

from conftest import CONF, ROOT


def test_installs_without_demo_data():
    db = os.environ.get("ST_TEST_DB", "st_test") + "_nodemo"
    port = str(int(os.environ.get("ST_TEST_HTTP_PORT", "18069")) + 1)
    odoo = [sys.executable, os.path.join(ROOT, "tools", "odoo"), "-c", CONF]
    subprocess.run(["dropdb", "--if-exists", "-h", _conf("db_host"), "-p", _conf("db_port"),
                    "-U", _conf("db_user"), db], check=True)
    try:
        done = subprocess.run(
            odoo + ["-d", db, "-i", "serial_traceability", "--without-demo=all",
                    "--stop-after-init", "--log-level=warn", "--http-port=" + port,
                    "--max-cron-threads=0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        assert done.returncode == 0, done.stdout[-3000:]
        assert "ERROR" not in done.stdout, done.stdout[-3000:]
        out = subprocess.run(
            ["psql", "-h", _conf("db_host"), "-p", _conf("db_port"), "-U", _conf("db_user"),
             "-d", db, "-tAc",
             "SELECT state FROM ir_module_module WHERE name = 'serial_traceability';"
             "SELECT count(*) FROM stock_production_lot"],
            stdout=subprocess.PIPE, universal_newlines=True, check=True).stdout.split()
        assert out == ["installed", "0"]
    finally:
        subprocess.run(["dropdb", "--if-exists", "-h", _conf("db_host"), "-p",
                        _conf("db_port"), "-U", _conf("db_user"), db])


def _conf(key):
    with open(CONF) as handle:
        for line in handle:
            name, _sep, value = line.partition("=")
            if name.strip() == key:
                return value.strip()
    raise KeyError(key)

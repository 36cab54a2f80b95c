# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What every benchmark script shares: the project's Odoo configuration, the
benchmark databases (create, update, drop, a generator's stored description), a
worker run in a fresh process (so its peak RSS is its own) and the generator of
host-shaped genealogy rows (``genealogy_data.py``) run in one of them."""
import configparser
import importlib.util
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CONF = os.environ.get("ST_ODOO_CONF", os.path.join(ROOT, ".state", "odoo.conf"))
HTTP_PORT = os.environ.get("ST_BENCH_HTTP_PORT", "18104")


def log(msg):
    sys.stderr.write("[%s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rss_mb():
    status = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _sep, value = line.partition(":")
            status[key] = value.strip()
    return {k: int(status[k].split()[0]) / 1024.0 for k in ("VmRSS", "VmHWM")}


# -- database -------------------------------------------------------------------------
def pg_connect(db):
    import psycopg2
    cfg = configparser.ConfigParser()
    cfg.read(CONF)
    opt = dict(cfg.items("options"))
    kwargs = {"dbname": db}
    for key, arg in (("db_host", "host"), ("db_port", "port"), ("db_user", "user"),
                     ("db_password", "password")):
        if opt.get(key) not in (None, "", "False"):
            kwargs[arg] = opt[key]
    return psycopg2.connect(**kwargs)


def db_exists(db):
    conn = pg_connect("postgres")
    try:
        cur = conn.cursor()
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,))
        return bool(cur.fetchone())
    finally:
        conn.close()


def drop_db(db):
    conn = pg_connect("postgres")
    conn.autocommit = True
    try:
        conn.cursor().execute('DROP DATABASE IF EXISTS "%s"' % db)
    finally:
        conn.close()


def create_db(db, modules=("serial_traceability",)):
    drop_db(db)
    cmd = [sys.executable, os.path.join(ROOT, "tools", "odoo"), "-c", CONF, "-d", db,
           "-i", ",".join(modules), "--without-demo=all", "--stop-after-init",
           "--log-level=warn", "--http-port=%s" % HTTP_PORT, "--max-cron-threads=0"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)


def ensure_addon_db(db, fresh=False):
    """``db`` with serial_traceability installed (no demo): kept when it is a complete
    install (unless ``fresh``), else made anew."""
    if not fresh and db_exists(db):
        conn = pg_connect(db)
        try:
            cur = conn.cursor()
            cur.execute("SELECT state FROM ir_module_module WHERE name = 'serial_traceability'")
            row = cur.fetchone()
        finally:
            conn.close()
        if row and row[0] == "installed":
            return
        log("%s is not a complete install: rebuilding it" % db)
    log("installing serial_traceability (no demo) in %s (a few minutes)" % db)
    create_db(db)


def update_module(db):
    """The addon's code as it is now (its functions and indexes): the upgrade a
    deployment runs."""
    cmd = [sys.executable, os.path.join(ROOT, "tools", "odoo"), "-c", CONF, "-d", db,
           "-u", "serial_traceability", "--stop-after-init", "--log-level=warn",
           "--http-port=%s" % HTTP_PORT, "--max-cron-threads=0"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)


def read_meta(db, key):
    """What a benchmark's generator stored about the database under ``key``."""
    conn = pg_connect(db)
    try:
        cur = conn.cursor()
        cur.execute("SELECT value FROM ir_config_parameter WHERE key = %s", (key,))
        row = cur.fetchone()
        return json.loads(row[0]) if row else None
    finally:
        conn.close()


def vacuum_analyze(db):
    conn = pg_connect(db)
    conn.autocommit = True
    try:
        conn.cursor().execute("VACUUM ANALYZE")
    finally:
        conn.close()


def prepare_db(db, script, meta_key, reuse, update=True, **generate):
    """The benchmark's database and what its generator stored under ``meta_key``:
    kept from an earlier run (``reuse``; the addon then updated to the code as it is
    now, unless ``update`` is false) or made anew by ``script``'s ``generate`` worker
    (``generate``: its arguments). Vacuumed and analysed either way."""
    meta = read_meta(db, meta_key) if reuse and db_exists(db) else None
    if meta is None:
        t = time.time()
        create_db(db)
        log("database created in %.0f s" % (time.time() - t))
        meta = run_worker("generate", script, db=db, **generate)
    else:
        log("reusing the data of %s" % db)
        if update:
            t = time.time()
            update_module(db)
            log("addon updated in %.0f s" % (time.time() - t))
    t = time.time()
    vacuum_analyze(db)
    meta["vacuum_s"] = time.time() - t
    return meta


# -- workers: one fresh process each ----------------------------------------------------
def run_worker(mode, script, **kwargs):
    """Run ``script``'s worker ``mode`` in a fresh process; its last output line (JSON)."""
    proc = subprocess.run([sys.executable, os.path.abspath(script), "_worker", mode,
                           json.dumps(kwargs)], stdout=subprocess.PIPE, cwd=ROOT)
    if proc.returncode:
        raise SystemExit("worker %s failed (exit %d)" % (mode, proc.returncode))
    last = proc.stdout.decode().strip().splitlines()[-1]
    return json.loads(last)


def _odoo(db):
    import odoo
    odoo.tools.config.parse_config(["-c", CONF, "--log-level=warn"])
    return odoo, odoo.registry(db)


def generate(db, prefix, params, meta_key, describe, trigger=True):
    """Fill ``db`` with the generator's host-shaped rows (``params``: a scale of
    ``genealogy_data.SCALES`` and overrides), committing per batch, and store what
    ``describe(gen, env)`` returns (with the timings) under ``meta_key``."""
    sys.path.insert(0, HERE)
    import genealogy_data as gd
    odoo, registry = _odoo(db)
    out = {}
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        gen = gd.GenealogyData(cr, prefix=prefix, trigger=trigger, log=log, **params)
        t = time.time()
        gen.setup(params["units"])
        cr.commit()
        out["setup_s"] = time.time() - t
        t = time.time()
        gen.generate(params["units"], params["batch_units"], on_batch=lambda _n: cr.commit())
        gen.finish()
        cr.commit()
        out["generate_s"] = time.time() - t
        out.update(units=params["units"], counts=dict(gen.counts))
        out.update(describe(gen, odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})))
        cr.execute("INSERT INTO ir_config_parameter (key, value) VALUES (%s, %s)",
                   (meta_key, json.dumps(out)))
        cr.commit()
    return out


def machine():
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    return "nproc=%d mem_gb=%.0f" % (os.cpu_count(), mem_kb / 1024.0 / 1024.0)


def script_main(main, workers):
    """A benchmark script's entry point: ``_worker MODE JSON`` runs ``workers[MODE]``
    with the JSON's arguments and prints its result as the last line (see
    ``run_worker``); anything else runs ``main()`` and exits with its status."""
    if len(sys.argv) > 1 and sys.argv[1] == "_worker":
        result = workers[sys.argv[2]](**json.loads(sys.argv[3]))
        sys.stdout.write("\n" + json.dumps(result, default=str) + "\n")
    else:
        sys.exit(main())

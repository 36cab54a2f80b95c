#!/usr/bin/env python
# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Serial uniqueness under load: a multi-process server and 16 clients at once.

    .venv/bin/python benchmarks/serial_concurrency.py [--db bench_serial_concurrency]
        [--port 18116] [--clients 16] [--seconds 5] [--gap-policy standard|no_gap]

Starts Odoo with ``--workers 4`` (no cron, no longpolling) on its own database and
port, makes a serial-tracked product numbered ``CC{seq:5}`` and a stock user (the
least rights that may create serials), then runs the clients for a few seconds over
XML-RPC, each with its own connection. Each call is, at random,
``stock.production.lot.generate_serials(product, 1..5)`` (numbers from the pattern's
counter, 40%), ``create`` of a lot named ``CC00001``..``CC00012`` typed "by hand"
(overlapping the other clients' typed numbers and the first generated ones, 30%), or
``create`` of ``CT`` + the number of the current 200 ms (a new number several clients
type at the same moment: the races the unique index decides, 30%).

Afterwards, straight from PostgreSQL: no (name, product, company) twice; the lots in
the database are exactly the ones the successful calls reported; every refused call
got the message naming the serial ("... already exists ..."). Any other error fails
the run. Last line:
``RESULT serial_concurrency clients=16 created=... refused=... duplicates=0``
"""
import argparse
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.request
import xmlrpc.client

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import receipt_10k as common  # noqa: E402

HAND_TYPED = 12


def log(message):
    print("[serial_concurrency] %s" % message, flush=True)


def start_server(db, port, workers):
    logfile = open(os.path.join(common.ROOT, ".state", "serial_concurrency_%s.log" % port), "w")
    proc = subprocess.Popen(
        [sys.executable, os.path.join(common.ROOT, "tools", "odoo"), "-c", common.CONF,
         "-d", db, "--db-filter=^%s$" % db, "--http-port=%d" % port,
         "--workers=%d" % workers, "--max-cron-threads=0", "--longpolling-port=0",
         "--log-level=warn"],
        stdout=logfile, stderr=subprocess.STDOUT, cwd=common.ROOT)
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("Odoo exited with %s; see %s" % (proc.returncode, logfile.name))
        try:
            urllib.request.urlopen("http://127.0.0.1:%d/web/login" % port, timeout=5)
            return proc, logfile
        except OSError:
            time.sleep(1)
    proc.terminate()
    raise RuntimeError("Odoo did not answer on port %d" % port)


def rpc(port, path):
    return xmlrpc.client.ServerProxy("http://127.0.0.1:%d/xmlrpc/2/%s" % (port, path),
                                     allow_none=True)


def setup(db, port, gap_policy):
    uid = rpc(port, "common").authenticate(db, "admin", "admin", {})
    models = rpc(port, "object")

    def call(model, method, *args, **kwargs):
        return models.execute_kw(db, uid, "admin", model, method, list(args), kwargs)

    tag = time.strftime("%H%M%S")
    group_id = call("ir.model.data", "xmlid_to_res_id", "stock.group_stock_user")
    login = "conc_%s" % tag
    user_id = call("res.users", "create", {
        "name": "Concurrency client %s" % tag, "login": login, "password": login,
        "email": "%s@example.com" % login,
        "groups_id": [(6, 0, [group_id])]})
    company_id = call("res.users", "read", [user_id], ["company_id"])[0]["company_id"][0]
    call("res.company", "write", [company_id], {"serial_gap_policy": gap_policy})
    product_id = call("product.product", "create", {
        "name": "Concurrency unit %s" % tag, "type": "product", "tracking": "serial",
        "serial_pattern": "CC{seq:5}"})
    return login, user_id, product_id


def client(number, db, port, login, product_id, deadline, stats, lock):
    rnd = random.Random(number)
    common_proxy, models = rpc(port, "common"), rpc(port, "object")
    uid = common_proxy.authenticate(db, login, login, {})
    created, refused, raced, errors = [], 0, 0, []
    while time.time() < deadline:
        try:
            draw = rnd.random()
            if draw < 0.4:
                count = rnd.randint(1, 5)
                ids = models.execute_kw(db, uid, login, "stock.production.lot",
                                        "generate_serials", [product_id, count])
                if len(ids) != count:
                    errors.append("asked %d serials, got %d" % (count, len(ids)))
                created.extend(ids)
            else:
                # a small pool of typed numbers, or the number of this fifth of a second:
                # new, and typed by whichever clients call within the same 200 ms
                name = "CC%05d" % rnd.randint(1, HAND_TYPED) if draw < 0.7 \
                    else "CT%09d" % (int(time.time() * 5) % 10 ** 9)
                created.append(models.execute_kw(db, uid, login, "stock.production.lot",
                                                 "create", [{"name": name,
                                                             "product_id": product_id}]))
        except xmlrpc.client.Fault as fault:
            message = fault.faultString
            if re.search(r'Serial/lot number "C[CT]\d+" already exists', message):
                refused += 1
                # the check before the insert missed it: the unique index decided
                raced += "just created by someone else" in message
            else:
                errors.append(message[-300:])
    with lock:
        stats["created"].extend(created)
        stats["refused"] += refused
        stats["raced"] += raced
        stats["errors"].extend(errors)


def check_database(db, product_id):
    conn = common.pg_connect(db)
    try:
        cur = conn.cursor()
        cur.execute("""
            SELECT count(*) FROM (
                SELECT 1 FROM stock_production_lot WHERE product_id = %s
                 GROUP BY name, product_id, COALESCE(company_id, 0) HAVING count(*) > 1) d
            """, (product_id,))
        duplicates = cur.fetchone()[0]
        cur.execute("SELECT array_agg(id) FROM stock_production_lot WHERE product_id = %s",
                    (product_id,))
        ids = set(cur.fetchone()[0] or [])
        return duplicates, ids
    finally:
        conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="bench_serial_concurrency")
    parser.add_argument("--port", type=int, default=18116)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--gap-policy", choices=["standard", "no_gap"], default="standard")
    args = parser.parse_args()
    common.ensure_db(args.db)
    proc, logfile = start_server(args.db, args.port, args.workers)
    try:
        login, _user_id, product_id = setup(args.db, args.port, args.gap_policy)
        stats, lock = {"created": [], "refused": 0, "raced": 0, "errors": []}, \
            threading.Lock()
        deadline = time.time() + args.seconds
        threads = [threading.Thread(target=client, args=(
            i, args.db, args.port, login, product_id, deadline, stats, lock))
            for i in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        proc.terminate()
        proc.wait(60)
        logfile.close()
    duplicates, ids = check_database(args.db, product_id)
    created = stats["created"]
    log("%d calls: %d lots created, %d refused with the clear message (%d of them by the "
        "unique index, in a race), %d other errors"
        % (len(created) + stats["refused"] + len(stats["errors"]), len(created),
           stats["refused"], stats["raced"], len(stats["errors"])))
    for error in stats["errors"][:5]:
        log("error: %s" % error)
    ok = not stats["errors"] and duplicates == 0 and ids == set(created) \
        and len(created) == len(set(created))
    if ids != set(created):
        log("MISMATCH: %d lots in the database, %d reported created"
            % (len(ids), len(set(created))))
    print("RESULT serial_concurrency clients=%d created=%d refused=%d duplicates=%d"
          % (args.clients, len(created), stats["refused"], duplicates))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python
# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the audit trail costs on the busiest thing it watches: validating a
delivery of 1,000 serials, with serial_traceability installed against the same
delivery on a database without it.

    .venv/bin/python benchmarks/audit_overhead.py [--lines 1000] [--rounds 3] [--fresh]

Databases (created once, kept; ``--fresh`` rebuilds them), both without demo data:

- ``bench_audit_with``: serial_traceability installed;
- ``bench_audit_without``: only the addon's dependencies (same host modules).

Each round, in a fresh process per database and alternating their order: 1,000 new
serials of one product are put in stock (lots through the ORM, quants through the
host's ``stock.quant._update_available_quantity``), a delivery for 1,000 units is
confirmed and reserved by the host (one move line per serial), every line gets
``qty_done = 1`` and that is committed; then only ``button_validate()`` + commit
is timed. The median round counts. Both sides must give the same answer (1,000
done lines, every serial at the customer); on the addon side the 1,000 ``done``
entries must be in the trail and the whole chain must verify. ``audit_s`` is the
time spent inside the move-line audit (snapshot, hashing, INSERT) during the
validation, measured by wrapping it in the benchmark process only; ``*_cpu_s`` is the
Odoo process's CPU time, steadier than wall time on a busy machine.

Last line: ``RESULT audit_overhead lines=1000 with_s=... without_s=... overhead=...%``.
"""
import argparse
import ast
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CONF = os.environ.get("ST_ODOO_CONF", os.path.join(ROOT, ".state", "odoo.conf"))
HTTP_PORT = os.environ.get("ST_BENCH_HTTP_PORT", "18107")
DB_WITH, DB_WITHOUT = "bench_audit_with", "bench_audit_without"
PRODUCT_CODE = "BENCH-AUDIT-SN"
DONE_CHECK = """
    SELECT count(*), count(DISTINCT ml.lot_id), bool_and(l.usage = 'customer')
      FROM stock_move_line ml JOIN stock_location l ON l.id = ml.location_dest_id
     WHERE ml.picking_id = %s AND ml.state = 'done' AND ml.qty_done = 1
"""


sys.path.insert(0, HERE)
import genealogy as gen_bench  # noqa: E402
log, pg_connect, drop_db = gen_bench.log, gen_bench.pg_connect, gen_bench.drop_db
vacuum_analyze = gen_bench.vacuum_analyze


def db_ready(db):
    if not gen_bench.db_exists(db):
        return False
    conn = pg_connect(db)
    try:
        cur = conn.cursor()
        cur.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'stock_move'")
        return bool(cur.fetchone())
    finally:
        conn.close()


def addon_depends():
    with open(os.path.join(ROOT, "serial_traceability", "__manifest__.py")) as f:
        return ast.literal_eval(f.read())["depends"]


def create_db(db, modules):
    log("creating %s with %s" % (db, ",".join(modules)))
    gen_bench.create_db(db, modules)


# -- one round in a fresh process -----------------------------------------------------
def run_worker(db, lines, tag):
    proc = subprocess.run([sys.executable, os.path.abspath(__file__), "_worker", db,
                           str(lines), tag], stdout=subprocess.PIPE, cwd=ROOT)
    if proc.returncode:
        raise SystemExit("worker on %s failed (exit %d)" % (db, proc.returncode))
    return json.loads(proc.stdout.decode().strip().splitlines()[-1])


def worker(db, lines, tag):
    import odoo
    from odoo import SUPERUSER_ID, api
    odoo.tools.config.parse_config(["-c", CONF, "--log-level=warn"])
    registry = odoo.registry(db)
    audited = "serial.audit.entry" in registry
    audit_time = [0.0]
    if audited:
        # benchmark-only probe: time spent in the move-line audit during validation
        MoveLine = registry["stock.move.line"]
        original = MoveLine._audit_write_entries

        def timed(self, *args, **kwargs):
            start = time.perf_counter()
            try:
                return original(self, *args, **kwargs)
            finally:
                audit_time[0] += time.perf_counter() - start
        MoveLine._audit_write_entries = timed

    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        product = env["product.product"].search([("default_code", "=", PRODUCT_CODE)])
        if not product:
            product = env["product.product"].create({
                "name": "Bench audit serial", "default_code": PRODUCT_CODE,
                "type": "product", "tracking": "serial"})
        warehouse = env["stock.warehouse"].search([], limit=1)
        stock = warehouse.lot_stock_id
        customer = env["res.partner"].create({"name": "Bench customer %s" % tag})
        t = time.perf_counter()
        Lot, Quant = env["stock.production.lot"], env["stock.quant"]
        for i in range(lines):
            lot = Lot.create({"name": "%s-%05d" % (tag, i), "product_id": product.id})
            Quant._update_available_quantity(product, stock, 1.0, lot_id=lot)
        out_type = warehouse.out_type_id
        picking = env["stock.picking"].create({
            "picking_type_id": out_type.id, "partner_id": customer.id,
            "location_id": stock.id,
            "location_dest_id": customer.property_stock_customer.id})
        env["stock.move"].create({
            "name": product.name, "picking_id": picking.id, "product_id": product.id,
            "product_uom": product.uom_id.id, "product_uom_qty": lines,
            "location_id": stock.id, "location_dest_id": picking.location_dest_id.id})
        picking.action_confirm()
        log("%s: %d lots in stock after %.1fs" % (db, lines, time.perf_counter() - t))
        picking.action_assign()
        log("%s: reserved after %.1fs" % (db, time.perf_counter() - t))
        picking.move_line_ids.write({"qty_done": 1})
        if len(picking.move_line_ids) != lines:
            raise SystemExit("reserved %d lines, expected %d"
                             % (len(picking.move_line_ids), lines))
        cr.commit()
        setup_s = time.perf_counter() - t
        cr.execute("SELECT count(*) FROM serial_audit_entry" if audited else "SELECT 0")
        entries_before = cr.fetchone()[0]
        env.cache.invalidate()
        audit_time[0] = 0.0

        t, cpu = time.perf_counter(), time.process_time()
        result = picking.button_validate()
        cr.commit()
        validate_s = time.perf_counter() - t
        cpu_s = time.process_time() - cpu

        if result not in (None, True) or picking.state != "done":
            raise SystemExit("delivery not validated directly: %r" % (result,))
        cr.execute(DONE_CHECK, (picking.id,))
        done_lines, lots, at_customer = cr.fetchone()
        out = {"db": db, "validate_s": validate_s, "cpu_s": cpu_s, "setup_s": setup_s,
               "done_lines": done_lines, "lots": lots, "at_customer": at_customer}
        if audited:
            cr.execute("""SELECT count(*) FROM serial_audit_entry
                           WHERE res_model = 'stock.move.line' AND action = 'done'
                             AND res_id IN (SELECT id FROM stock_move_line
                                             WHERE picking_id = %s)""", (picking.id,))
            out["done_entries"] = cr.fetchone()[0]
            cr.execute("SELECT count(*) FROM serial_audit_entry")
            out["entries_added"] = cr.fetchone()[0] - entries_before
            out["audit_s"] = audit_time[0]
            t = time.perf_counter()
            verified = env["serial.audit.entry"]._verify_chain()
            out["verify_s"] = time.perf_counter() - t
            out["chain"] = "intact" if verified["ok"] else verified["message"]
            out["chain_entries"] = verified["count"]
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="rebuild both databases")
    args = parser.parse_args()
    depends = addon_depends()
    for db, modules in ((DB_WITH, ["serial_traceability"]), (DB_WITHOUT, depends)):
        if args.fresh or not db_ready(db):
            create_db(db, modules)
            vacuum_analyze(db)
    runs = {DB_WITH: [], DB_WITHOUT: []}
    stamp = time.strftime("%H%M%S")
    for r in range(args.rounds):
        order = (DB_WITH, DB_WITHOUT) if r % 2 == 0 else (DB_WITHOUT, DB_WITH)
        for db in order:
            res = run_worker(db, args.lines, "A%s%d" % (stamp, r))
            log("round %d %s: validate %.2fs, Odoo CPU %.2fs (setup %.1fs)%s" % (
                r + 1, db, res["validate_s"], res["cpu_s"], res["setup_s"],
                " audit %.3fs, chain %s" % (res["audit_s"], res["chain"])
                if "audit_s" in res else ""))
            runs[db].append(res)
    failures = []
    for db, results in runs.items():
        for res in results:
            if (res["done_lines"], res["lots"], res["at_customer"]) != (
                    args.lines, args.lines, True):
                failures.append("%s: %r" % (db, res))
    for res in runs[DB_WITH]:
        if res["done_entries"] != args.lines or res["chain"] != "intact":
            failures.append("audit side: %r" % res)
    if failures:
        raise SystemExit("answers differ:\n" + "\n".join(failures))
    with_s = statistics.median(r["validate_s"] for r in runs[DB_WITH])
    without_s = statistics.median(r["validate_s"] for r in runs[DB_WITHOUT])
    audit_s = statistics.median(r["audit_s"] for r in runs[DB_WITH])
    with_cpu = statistics.median(r["cpu_s"] for r in runs[DB_WITH])
    without_cpu = statistics.median(r["cpu_s"] for r in runs[DB_WITHOUT])
    print("RESULT audit_overhead_detail rounds=%d with_cpu_s=%.2f without_cpu_s=%.2f "
          "overhead_cpu=%.1f%% audit_s=%.3f audit_share=%.1f%% "
          "entries_per_delivery=%d verify_s=%.2f chain_entries=%d" % (
              args.rounds, with_cpu, without_cpu,
              100.0 * (with_cpu - without_cpu) / without_cpu, audit_s, 100.0 * audit_s / with_s,
              runs[DB_WITH][-1]["done_entries"], runs[DB_WITH][-1]["verify_s"],
              runs[DB_WITH][-1]["chain_entries"]))
    print("RESULT audit_overhead lines=%d with_s=%.2f without_s=%.2f overhead=%.1f%%" % (
        args.lines, with_s, without_s, 100.0 * (with_s - without_s) / without_s))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_worker":
        print(json.dumps(worker(sys.argv[2], int(sys.argv[3]), sys.argv[4])))
    else:
        main()

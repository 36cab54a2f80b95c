#!/usr/bin/env python
# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Scan one serial and read its history: ours (server-side, through the ORM's access
checks) against the bare SQL for the same rows.

    .venv/bin/python benchmarks/unit_history.py [--scale tiny|quick|full] [--keep-db]

Builds database ``bench_unit_history_<scale>`` (serial_traceability without demo)
with the genealogy benchmark's generator (``genealogy_data.py``: host-shaped rows,
4 BOM levels; full: 200,000 finished serials, over 2M move lines; it derives the
lot fields of every lot in one set-based pass) and gives the pump a GTIN. Then, in a
fresh Odoo process, median of ``--repeat`` warm runs:

- ours: ``find_by_scan(GS1 string)`` + ``get_unit_history()`` of a pump that was
  built, shipped, returned and shipped again; and the same with its components
  (``include_components=True``: the lookup screen's default);
- sql: hand-written SQL on the host's tables for the same rows (the lot found by
  serial and GTIN in the same statement), on a plain connection.

Rows must be the same (id, lot, date, event, partner, reference) on both sides.
"""
import argparse
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
os.environ.setdefault("ST_BENCH_HTTP_PORT", "18105")
PREFIX = "H"
GTIN = "09506000999999"
META_KEY = "serial_traceability.bench_unit_history_meta"


sys.path.insert(0, HERE)
import genealogy as gen_bench  # noqa: E402
log, pg_connect = gen_bench.log, gen_bench.pg_connect

# The same events, written independently of the addon's view: classify each done
# move line of the unit.
EVENT = """
       CASE WHEN m.inventory_id IS NOT NULL THEN 'inventory'
            WHEN m.scrapped OR dst.scrap_location THEN 'scrapped'
            WHEN m.consume_unbuild_id IS NOT NULL THEN 'unbuilt'
            WHEN m.unbuild_id IS NOT NULL THEN 'recovered'
            WHEN m.production_id IS NOT NULL THEN 'produced'
            WHEN m.raw_material_production_id IS NOT NULL THEN 'consumed'
            WHEN src.usage = 'supplier' THEN 'received'
            WHEN dst.usage = 'customer' THEN 'shipped'
            WHEN src.usage = 'customer' THEN 'returned'
            WHEN dst.usage = 'supplier' THEN 'supplier_return'
            ELSE 'moved' END"""
ROWS = """
SELECT ml.id, ml.lot_id, ml.date, %s AS event_type,
       COALESCE(p.partner_id, m.partner_id) AS partner_id,
       COALESCE(p.name, mo.name, m.origin, m.name) AS reference
  FROM stock_move_line ml
  JOIN stock_move m ON m.id = ml.move_id
  JOIN stock_location src ON src.id = ml.location_id
  JOIN stock_location dst ON dst.id = ml.location_dest_id
  LEFT JOIN stock_picking p ON p.id = ml.picking_id
  LEFT JOIN mrp_production mo ON mo.id = COALESCE(m.production_id, m.raw_material_production_id)
 WHERE ml.state = 'done'
""" % EVENT
UNIT = """
WITH RECURSIVE unit AS (
    SELECT l.id FROM stock_production_lot l JOIN product_product pp ON pp.id = l.product_id
     WHERE l.name = %(serial)s AND pp.barcode = ANY(%(barcodes)s))
"""
SQL_OWN = UNIT + ROWS + " AND ml.lot_id IN (SELECT id FROM unit)" \
    " ORDER BY ml.date DESC, ml.id DESC"
# With components: the unit's rows and the consumption lines of every link below it
# (what went into it, at every level), as the addon's lookup shows them.
SQL_WITH_COMPONENTS = UNIT + """, links AS (
    SELECT e.move_line_id, e.component_lot_id FROM serial_genealogy_edge e
     WHERE e.parent_lot_id IN (SELECT id FROM unit) AND e.active
    UNION
    SELECT e.move_line_id, e.component_lot_id FROM links JOIN serial_genealogy_edge e
        ON e.parent_lot_id = links.component_lot_id AND e.active)
SELECT * FROM (""" + ROWS + """ AND ml.lot_id IN (SELECT id FROM unit)) own
UNION ALL
SELECT * FROM (""" + ROWS + """ AND ml.id IN (SELECT move_line_id FROM links)
                AND ml.lot_id NOT IN (SELECT id FROM unit)) comp
 ORDER BY date DESC, id DESC
"""


def _key(row):
    return [row["id"], row["lot_id"], str(row["date"]), row["event_type"],
            row["partner_id"] or None, row["reference"]]


def worker_generate(db, scale):
    import genealogy_data as gd
    params = dict(gd.SCALES[scale])

    def describe(gen, env):
        gen.products["pump"].barcode = GTIN
        # the generator's finish() derived every lot's fields in one set-based pass
        env.cr.execute("SELECT count(*) FROM stock_production_lot"
                       " WHERE unit_state IS NOT NULL")
        # A pump that was built, shipped, returned and shipped again.
        units, reship = params["units"], params["reship_every"]
        i = 7 + reship * ((units // 2) // reship)
        return {"lots_with_state": env.cr.fetchone()[0],
                "serial": "%s-PUMP-%07d" % (PREFIX, i)}
    return gen_bench.generate(db, PREFIX, params, META_KEY, describe)


def worker_ours(db, serial, repeat):
    odoo, registry = gen_bench._odoo(db)
    code = "]d2" + "01" + GTIN + "21" + serial
    out = {}
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        # A plain stock user, so access rights and rules apply (the superuser skips
        # them); rolled back with everything else.
        user = env["res.users"].with_context(no_reset_password=True).create({
            "name": "bench stock user", "login": "bench_unit_history",
            "groups_id": [(6, 0, [env.ref("stock.group_stock_user").id])]})
        lots = odoo.api.Environment(cr, user.id, {})["stock.production.lot"]
        for name, components in (("own", False), ("components", True)):
            times, rows = [], None
            for run in range(repeat + 1):
                lots.invalidate_cache()
                t = time.perf_counter()
                found = lots.find_by_scan(code)
                rows = lots.browse(found["lot_ids"]).get_unit_history(components)
                if run:  # the first run warms the registry's caches
                    times.append(time.perf_counter() - t)
            out[name] = {"times": times, "rows": [_key(r) for r in rows]}
        # What the web client's list does: search_read through the view.
        history = lots.env["serial.unit.history"]
        times = []
        for run in range(repeat + 1):
            lots.invalidate_cache()
            t = time.perf_counter()
            lot_ids = lots.find_by_scan(code)["lot_ids"]
            history.search_read([("lot_id", "in", lot_ids)],
                                ["date", "lot_id", "event_type", "partner_id", "reference"])
            if run:
                times.append(time.perf_counter() - t)
        out["search_read"] = {"times": times}
        cr.rollback()
    return out


def run_sql(db, serial, repeat):
    conn = pg_connect(db)
    out = {}
    try:
        cur = conn.cursor()
        params = {"serial": serial, "barcodes": [GTIN, GTIN[1:]]}
        for name, sql in (("own", SQL_OWN), ("components", SQL_WITH_COMPONENTS)):
            times, rows = [], None
            for run in range(repeat + 1):
                t = time.perf_counter()
                cur.execute(sql, params)
                rows = cur.fetchall()
                if run:
                    times.append(time.perf_counter() - t)
            columns = [c[0] for c in cur.description]
            rows = [_key(dict(zip(columns, row))) for row in rows]
            out[name] = {"times": times, "rows": rows}
        conn.rollback()
    finally:
        conn.close()
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("tiny", "quick", "full"), default="quick")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse-db", action="store_true",
                        help="time an existing bench_unit_history_<scale> again")
    parser.add_argument("--no-update", action="store_true",
                        help="with --reuse-db: do not update the addon in it first")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs (median)")
    args = parser.parse_args()
    db = "bench_unit_history_%s" % args.scale
    log("machine: %s; database %s" % (gen_bench.machine(), db))
    meta = gen_bench.prepare_db(db, __file__, META_KEY, args.reuse_db, not args.no_update,
                                scale=args.scale)
    log("data: %d finished units, %d move lines, lot fields of %d lots derived; bulk load "
        "%.0f s" % (meta["units"], meta["counts"].get("stock_move_line", 0),
                    meta["lots_with_state"], meta["generate_s"]))
    log("unit: %s" % meta["serial"])
    ours = gen_bench.run_worker("ours", __file__, db=db, serial=meta["serial"], repeat=args.repeat)
    sql = run_sql(db, meta["serial"], args.repeat)
    ok_all = True
    for name, label in (("own", "unit_history"), ("components", "unit_history_components")):
        ours_s = statistics.median(ours[name]["times"])
        sql_s = statistics.median(sql[name]["times"])
        same = ours[name]["rows"] == sql[name]["rows"] and bool(sql[name]["rows"])
        ok_all &= same
        if not same:
            log("DIFFERENT ANSWERS (%s):\n ours %s\n sql  %s" % (
                name, ours[name]["rows"], sql[name]["rows"]))
        events = [row[3] for row in reversed(sql[name]["rows"])]
        log("%s: %s" % (label, " ".join(events)))
        print("RESULT %s rows=%d ours_s=%.4f sql_s=%.4f vs_sql=%.2fx same_answer=%s" % (
            label, len(sql[name]["rows"]), ours_s, sql_s, ours_s / sql_s,
            "yes" if same else "no"))
    log("web list path (find_by_scan + search_read of the view): %.4f s"
        % statistics.median(ours["search_read"]["times"]))
    sys.stdout.flush()
    if not (args.keep_db or args.reuse_db):
        gen_bench.drop_db(db)
    return 0 if ok_all else 1


if __name__ == "__main__":
    gen_bench.script_main(main, {"generate": worker_generate, "ours": worker_ours})

#!/usr/bin/env python
# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Recall of a widely used component lot: the wizard's preview and the campaign's
creation, against the bare recursive CTE.

    .venv/bin/python benchmarks/recall.py [--scale quick|full] [--keep-db] [--reuse-db]

Builds database ``bench_recall_<scale>`` (serial_traceability without demo) with
the genealogy benchmark's generator (``genealogy_data.py``, host-shaped rows) set
so that one capacitor lot goes into half of the finished units (``cap_lots=2``:
100,000 pumps at full scale) and one battery lot into 12,500 modules (25,000
affected units). Then, each in a fresh Odoo process:

- preview: ``serial.recall.wizard.action_preview()`` (scope query with stock on
  hand, open MOs, last delivery and returns, aggregated; HTML built) for the
  battery lot and for the capacitor lot;
- cte: the bare question in SQL on the same connection kind, the genealogy
  benchmark's best formulation (edge-table closure + current location + last
  delivery), median of ``--repeat`` runs;
- create: ``action_create_recall()`` for the capacitor lot (lines inserted
  straight from the scope query), with the process's peak RSS; rolled back.

The units, and each finished unit's last delivery, must be the same in ours and
the CTE's answers.

- mass balance: ``stock.production.lot.get_mass_balance()`` of the capacitor lot
  (every total, stock per location, its quantity in every lot it went into) against
  a hand-written SQL of the same sums and the same weighted walk
  (``MASS_BALANCE_SQL``), median of ``--repeat`` runs; the totals and the output
  lots' quantities must agree.
- fsma export: the FSMA 204 spreadsheet (``serial.fsma.export.wizard``, report
  ``serial_traceability.fsma_xlsx``) of every lot-tracked product over the month
  around the median move line, with the process's peak RSS (constant-memory XLSX: flat).
"""
import argparse
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
os.environ.setdefault("ST_BENCH_HTTP_PORT", "18108")
CAP_LOTS, BAT_SIZE = 2, 12500


sys.path.insert(0, HERE)
import genealogy as gen_bench  # noqa: E402
log, rss_mb, pg_connect = gen_bench.log, gen_bench.rss_mb, gen_bench.pg_connect
META_KEY = "serial_traceability.bench_recall_meta"


def worker_generate(db, scale):
    import genealogy_data as gd

    def describe(gen, _env):
        return {"cap_lot_id": gen.cap_lot_ids[0], "bat_lot_id": gen.bat_lot_ids[0],
                "unit_product_id": gen.products["pump"].id}
    params = dict(gd.SCALES[scale], cap_lots=CAP_LOTS, bat_size=BAT_SIZE)
    return gen_bench.generate(db, "R", params, META_KEY, describe)


def _scope_answer(env, lot_id):
    """Units reached (the suspect itself left out) and each unit's last delivery,
    from the recall's own scope query."""
    from odoo.addons.serial_traceability.sql import recall_scope as recall_sql
    rows = env["serial.recall"]._run_scope(
        "SELECT lot_id, product_id, picking_id, depth FROM (" + recall_sql.scope_sql()
        + ") s", env["serial.recall"]._scope_params([lot_id]), fetch=True)
    return [(r["lot_id"], r["product_id"], r["picking_id"], r["depth"])
            for r in rows if r["depth"] > 0]


def worker_preview(db, lot_id, repeat):
    odoo, registry = gen_bench._odoo(db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        times, wizard = [], None
        for _run in range(repeat):
            wizard = env["serial.recall.wizard"].create(
                {"lot_ids": [(6, 0, [lot_id])], "reason": "benchmark"})
            t = time.perf_counter()
            wizard.action_preview()
            times.append(time.perf_counter() - t)
        counts = {name: wizard[name] for name in (
            "count_total", "count_customers", "count_shipments", "count_locations",
            "count_in_stock", "count_shipped", "count_returned", "count_consumed")}
        rows = _scope_answer(env, lot_id)
        cr.rollback()
    return {"times": times, "counts": counts, "rows": rows, "rss_peak_mb": rss_mb()["VmHWM"]}


def worker_create(db, lot_id):
    odoo, registry = gen_bench._odoo(db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        wizard = env["serial.recall.wizard"].create(
            {"lot_ids": [(6, 0, [lot_id])], "reason": "benchmark"})
        before = rss_mb()
        t = time.perf_counter()
        action = wizard.action_create_recall()
        elapsed = time.perf_counter() - t
        peak = rss_mb()
        recall = env["serial.recall"].browse(action["res_id"])
        cr.execute("SELECT count(*) FROM serial_recall_line WHERE recall_id = %s", (recall.id,))
        lines = cr.fetchone()[0]
        out = {"time": elapsed, "lines": lines, "line_count": recall.line_count,
               "partners": len(recall.partner_ids), "rss_before_mb": before["VmRSS"],
               "rss_peak_mb": peak["VmHWM"]}
        cr.rollback()
    return out


# The same question as get_mass_balance, written by hand: one pass of sums over the
# lot's done move lines, the quants, and the weighted walk with the quantity made of
# each intermediate lot aggregated once per lot.
MASS_BALANCE_SQL = """
WITH RECURSIVE ml AS (
    SELECT ml.qty_done / u.factor * %(uom_factor)s AS q, s.usage AS su, d.usage AS du,
           COALESCE(s.scrap_location, FALSE) AS ss, COALESCE(d.scrap_location, FALSE) AS ds,
           m.unbuild_id IS NOT NULL AS ub
      FROM stock_move_line ml JOIN product_uom u ON u.id = ml.product_uom_id
      JOIN stock_location s ON s.id = ml.location_id
      JOIN stock_location d ON d.id = ml.location_dest_id
      JOIN stock_move m ON m.id = ml.move_id
     WHERE ml.lot_id = %(lot_id)s AND ml.state = 'done'
), sums AS (
    SELECT SUM(q) FILTER (WHERE su = 'supplier' AND du <> 'supplier') AS received,
           SUM(q) FILTER (WHERE su = 'production' AND du <> 'production' AND NOT ub)
               AS produced,
           COALESCE(SUM(q) FILTER (WHERE du = 'production' AND su <> 'production'), 0)
           - COALESCE(SUM(q) FILTER (WHERE su = 'production' AND du <> 'production'
                                     AND ub), 0) AS consumed,
           SUM(q) FILTER (WHERE du = 'customer' AND su <> 'customer') AS shipped,
           SUM(q) FILTER (WHERE su = 'customer' AND du <> 'customer') AS returned,
           COALESCE(SUM(q) FILTER (WHERE ds AND NOT ss), 0)
           - COALESCE(SUM(q) FILTER (WHERE ss AND NOT ds), 0) AS scrapped,
           COALESCE(SUM(q) FILTER (WHERE du = 'inventory' AND NOT ds
                                   AND NOT (su = 'inventory' AND NOT ss)), 0)
           - COALESCE(SUM(q) FILTER (WHERE su = 'inventory' AND NOT ss
                                     AND NOT (du = 'inventory' AND NOT ds)), 0) AS lost
      FROM ml
), stock AS (
    SELECT SUM(q.quantity) AS in_stock FROM stock_quant q
      JOIN stock_location l ON l.id = q.location_id
     WHERE q.lot_id = %(lot_id)s AND l.usage IN ('internal', 'transit')
), walk(lot_id, qty, depth) AS (
    SELECT e.parent_lot_id, e.qty / u.factor * %(uom_factor)s, 1
      FROM serial_genealogy_edge e JOIN stock_move_line ml ON ml.id = e.move_line_id
      JOIN product_uom u ON u.id = ml.product_uom_id
     WHERE e.component_lot_id = %(lot_id)s AND e.active
    UNION ALL
    SELECT e.parent_lot_id, w.qty * (ml.qty_done / u.factor) / (
               SELECT SUM(p.qty_done / pu.factor) FROM stock_move_line p
                 JOIN product_uom pu ON pu.id = p.product_uom_id
                 JOIN stock_location ps ON ps.id = p.location_id
                 JOIN stock_move pm ON pm.id = p.move_id
                WHERE p.lot_id = w.lot_id AND p.state = 'done' AND ps.usage = 'production'
                  AND pm.unbuild_id IS NULL),
           w.depth + 1
      FROM walk w JOIN serial_genealogy_edge e ON e.component_lot_id = w.lot_id AND e.active
      JOIN stock_move_line ml ON ml.id = e.move_line_id
      JOIN product_uom u ON u.id = ml.product_uom_id
     WHERE w.depth < 30
), outputs AS (
    SELECT lot_id, SUM(qty) AS qty FROM walk GROUP BY lot_id
)
SELECT s.*, st.in_stock,
       (SELECT json_agg(json_build_array(lot_id, round(qty::numeric, 4)) ORDER BY lot_id)
          FROM outputs) AS outputs
  FROM sums s, stock st
"""
_MB_KEYS = ("received", "produced", "consumed", "shipped", "returned", "scrapped", "lost",
            "in_stock")


def worker_mass_balance(db, lot_id, repeat):
    odoo, registry = gen_bench._odoo(db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        lot = env["stock.production.lot"].browse(lot_id)
        lot._mass_balance()  # warm, as the bare SQL gets
        times, balance = [], None
        for _run in range(repeat):
            lot.invalidate_cache()
            t = time.perf_counter()
            balance = lot._mass_balance()
            times.append(time.perf_counter() - t)
        uom = lot.product_id.uom_id
        answer = {key: round(balance[key], 4) for key in _MB_KEYS}
        answer["outputs"] = sorted([r["lot_id"], round(r["qty"], 4)]
                                   for r in balance["outputs"])
        cr.rollback()
    return {"times": times, "answer": answer, "uom_factor": uom.factor,
            "accounted_pct": balance["accounted_pct"]}


def worker_fsma(db):
    import datetime
    import io
    import openpyxl
    odoo, registry = gen_bench._odoo(db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        # the month around the median event: the generated history's dense middle (its
        # last days hold only the few rows made through the host's flows)
        cr.execute("SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY date)"
                   " FROM stock_move_line WHERE state = 'done' AND lot_id IS NOT NULL")
        last = odoo.fields.Datetime.from_string(cr.fetchone()[0]).date() + \
            datetime.timedelta(days=15)
        products = env["product.product"].search([("tracking", "!=", "none")])
        wizard = env["serial.fsma.export.wizard"].create({
            "product_ids": [(6, 0, products.ids)],
            "date_from": odoo.fields.Date.to_string(last - datetime.timedelta(days=30)),
            "date_to": odoo.fields.Date.to_string(last)})
        before = rss_mb()
        t = time.perf_counter()
        wizard.action_export()
        data, _fmt = env.ref("serial_traceability.serial_fsma_xlsx_report").render_xlsx(
            wizard.ids, {})
        elapsed = time.perf_counter() - t
        peak = rss_mb()
        sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
        rows = sheet.max_row - 1
        cr.rollback()
    return {"time": elapsed, "rows": rows, "bytes": len(data),
            "rss_before_mb": before["VmRSS"], "rss_peak_mb": peak["VmHWM"]}


def bench_mass_balance(db, lot_id, repeat):
    log("mass balance of the capacitor lot")
    ours = gen_bench.run_worker("mass_balance", __file__, db=db, lot_id=lot_id, repeat=repeat)
    conn = pg_connect(db)
    try:
        cur = conn.cursor()
        sql_s, rows = gen_bench.time_sql(cur, MASS_BALANCE_SQL, {
            "lot_id": lot_id, "uom_factor": ours["uom_factor"]}, repeat)
        conn.rollback()
    finally:
        conn.close()
    row = rows[0]
    bare = {key: round(float(row[i] or 0), 4) for i, key in enumerate(_MB_KEYS)}
    bare["outputs"] = sorted([lot, round(float(qty), 4)] for lot, qty in (row[8] or []))
    ok = bare == ours["answer"]
    if not ok:
        log("  DIFFERENT ANSWERS: ours %s, sql %s" % (
            {k: v for k, v in ours["answer"].items() if k != "outputs"},
            {k: v for k, v in bare.items() if k != "outputs"}))
    ours_s = statistics.median(ours["times"])
    log("  ours: runs %s s, %d output lots, %.2f %% accounted; sql %.3f s" % (
        " ".join("%.3f" % x for x in ours["times"]), len(ours["answer"]["outputs"]),
        ours["accounted_pct"], sql_s))
    return len(ours["answer"]["outputs"]), ours_s, sql_s, ok


def run_cte(db, lot_id, repeat):
    """The genealogy benchmark's bare formulations; the fastest one counts."""
    import psycopg2
    conn = pg_connect(db)
    try:
        cur = conn.cursor()
        cur.execute("SELECT array_agg(id) FROM res_company")
        params = {"lot_id": lot_id, "company_ids": cur.fetchone()[0], "max_depth": None}
        best = None
        for name, sql in gen_bench.edge_variants().items():
            try:
                seconds, rows = gen_bench.time_sql(cur, sql, params, repeat)
            except psycopg2.Error as exc:  # a formulation the genealogy bench dropped
                conn.rollback()
                log("  bare SQL %-15s skipped: %s" % (name, str(exc).splitlines()[0]))
                continue
            log("  bare SQL %-15s %.3f s, %d rows" % (name, seconds, len(rows)))
            if best is None or seconds < best[1]:
                best = (name, seconds, rows)
        conn.rollback()
    finally:
        conn.close()
    return best


def same_answer(ours_rows, cte_rows):
    """Same units; same last delivery for every unit the CTE saw delivered."""
    ours = {lot: picking for lot, _product, picking, _depth in ours_rows}
    cte = {row[0]: row[8] for row in cte_rows}  # TRACE_COLUMNS: lot_id ... picking_id
    return set(ours) == set(cte) and all(ours[lot] == picking for lot, picking in cte.items())


def bench_preview(db, name, lot_id, repeat):
    log("preview of %s" % name)
    ours = gen_bench.run_worker("preview", __file__, db=db, lot_id=lot_id, repeat=repeat)
    ours_s = statistics.median(ours["times"])
    log("  ours: runs %s s; %s; peak RSS %.0f MB" % (
        " ".join("%.3f" % x for x in ours["times"]), ours["counts"], ours["rss_peak_mb"]))
    cte_name, cte_s, cte_rows = run_cte(db, lot_id, repeat)
    ok = same_answer(ours["rows"], cte_rows)
    if not ok:
        log("  DIFFERENT ANSWERS: ours %d units, cte %d" % (len(ours["rows"]), len(cte_rows)))
    log("  cte_s is the best bare formulation: %s" % cte_name)
    return ours, ours_s, cte_s, ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("tiny", "quick", "full"), default="quick")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse-db", action="store_true",
                        help="time an existing bench_recall_<scale> again (implies --keep-db)")
    parser.add_argument("--no-update", action="store_true",
                        help="with --reuse-db: do not update the addon in it first")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    db = "bench_recall_%s" % args.scale
    log("machine: %s; database %s" % (gen_bench.machine(), db))
    meta = gen_bench.prepare_db(db, __file__, META_KEY, args.reuse_db, not args.no_update,
                                scale=args.scale)
    log("data: %d finished units, %d move lines; bulk load %.0f s" % (
        meta["units"], meta["counts"].get("stock_move_line", 0), meta["generate_s"]))

    results, ok_all = [], True
    for name, lot_id in (("battery lot", meta["bat_lot_id"]),
                         ("capacitor lot", meta["cap_lot_id"])):
        ours, ours_s, cte_s, ok = bench_preview(db, name, lot_id, args.repeat)
        ok_all &= ok
        results.append((ours["counts"]["count_total"], ours_s, cte_s, ok))
    create = gen_bench.run_worker("create", __file__, db=db, lot_id=meta["cap_lot_id"])
    log("create: %d lines in %.2f s, %d customers; RSS %.0f MB before, peak %.0f MB" % (
        create["lines"], create["time"], create["partners"], create["rss_before_mb"],
        create["rss_peak_mb"]))
    ok_all &= create["lines"] == create["line_count"] == results[-1][0]
    mb_lots, mb_ours_s, mb_sql_s, mb_ok = bench_mass_balance(db, meta["cap_lot_id"],
                                                             args.repeat)
    ok_all &= mb_ok
    fsma = gen_bench.run_worker("fsma", __file__, db=db)
    log("fsma export: %d rows, %.0f kB in %.2f s; RSS %.0f MB before, peak %.0f MB" % (
        fsma["rows"], fsma["bytes"] / 1024.0, fsma["time"], fsma["rss_before_mb"],
        fsma["rss_peak_mb"]))
    for units, ours_s, cte_s, ok in results:
        print("RESULT recall_preview units=%d ours_s=%.3f cte_s=%.3f vs_cte=%.2fx same_answer=%s"
              % (units, ours_s, cte_s, ours_s / cte_s, "yes" if ok else "no"))
    print("RESULT recall_create lines=%d ours_s=%.2f peak_rss_mb=%.0f rss_before_mb=%.0f" % (
        create["lines"], create["time"], create["rss_peak_mb"], create["rss_before_mb"]))
    print("RESULT mass_balance lots=%d ours_s=%.3f sql_s=%.3f vs_sql=%.2fx same_answer=%s" % (
        mb_lots, mb_ours_s, mb_sql_s, mb_ours_s / mb_sql_s, "yes" if mb_ok else "no"))
    print("RESULT fsma_export rows=%d ours_s=%.2f peak_rss_mb=%.0f rss_before_mb=%.0f" % (
        fsma["rows"], fsma["time"], fsma["rss_peak_mb"], fsma["rss_before_mb"]))
    sys.stdout.flush()
    if not (args.keep_db or args.reuse_db):
        gen_bench.drop_db(db)
    return 0 if ok_all else 1


if __name__ == "__main__":
    gen_bench.script_main(main, {"generate": worker_generate, "preview": worker_preview,
                                 "create": worker_create,
                                 "mass_balance": worker_mass_balance,
                                 "fsma": worker_fsma})

#!/usr/bin/env python
# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Device history record of a finished unit (data) and of 100 units (PDF).

    .venv/bin/python benchmarks/device_history.py [--scale tiny|quick|full]
                                                  [--keep-db] [--reuse-db]

Builds database ``bench_dhr_<scale>`` (serial_traceability without demo) with the
genealogy benchmark's generator (``genealogy_data.py``, host-shaped rows, 4 levels:
capacitor lot and MCU serial -> PCB -> module -> pump). At ``tiny`` 100 pumps are
made (MOs of 5) so that the PDF has 100 units. Then, each Odoo side in a fresh
process:

- dhr_data: ``stock.production.lot.get_device_history_record()`` of one pump from
  the middle of the history (best of ``--repeat`` runs after a warm-up, caches
  invalidated between runs), against the same content written by hand in SQL
  (``device_history_sql.py``: head, MO and release, produced units, as-built rows
  with names, untracked components, acceptance records, labels, receipts, work
  orders, after release; one statement each, run in order on a plain psycopg2
  connection opened by the same worker, each run right after one of ours so that
  both meet the same load, best of as many after a warm-up): ``sql_s``, ``vs_sql``. Both
  must give the same answer: the as-built and untracked rows with their printed
  names and quantities, the product, the MO and the unit's position in it, and the
  number of rows of every other part.
  ``as_built_s``: the record's as-built part alone (``_dhr_as_built``: rows,
  untracked components, names) against the hand-written as-built and untracked
  statements (``as_built_sql_s``); ``rows_sql_s``: the bare recursive walk on the
  addon's edge table without names (``AS_BUILT_SQL`` below, the yardstick before
  2026-12-02), its multiset of (lot name, product id, quantity) checked too;
  ``kept_sql_s``: the addon's own as-built query sent bare on the psycopg2 connection.
- dhr_pdf: report ``serial_traceability.serial_dhr`` rendered to a real PDF
  (wkhtmltopdf; ``test_report_directory`` unset, not in test mode) for the first
  100 generated pumps (two MOs of 50 at quick and full scale), once after a warm-up
  render of one unit.
"""
import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
os.environ.setdefault("ST_BENCH_HTTP_PORT", "18112")

sys.path.insert(0, HERE)
import device_history_sql as hand  # noqa: E402
import genealogy as gen_bench  # noqa: E402

log, rss_mb, pg_connect = gen_bench.log, gen_bench.rss_mb, gen_bench.pg_connect
META_KEY = "serial_traceability.bench_dhr_meta"
PREFIX = "D"
PDF_UNITS = 100
REPORT = "serial_traceability.serial_device_history_report"

# The as-built rows of a unit written by hand: every active genealogy link below the
# unit, walked down level by level, summed per (component, parent, MO) in the
# product's unit of measure (the host's conversion, as the addon's).
AS_BUILT_SQL = """
WITH RECURSIVE walk(parent_lot_id, lot_id, production_id, move_line_id, qty, depth) AS (
    SELECT e.parent_lot_id, e.component_lot_id, e.production_id, e.move_line_id, e.qty, 1
      FROM serial_genealogy_edge e
     WHERE e.parent_lot_id = %(lot_id)s AND e.active
    UNION
    SELECT e.parent_lot_id, e.component_lot_id, e.production_id, e.move_line_id, e.qty,
           w.depth + 1
      FROM walk w
      JOIN serial_genealogy_edge e ON e.parent_lot_id = w.lot_id AND e.active
     WHERE w.depth < 30
)
SELECT l.name, l.product_id, SUM(w.qty / mu.factor * pu.factor) AS qty
  FROM walk w
  JOIN stock_production_lot l ON l.id = w.lot_id
  JOIN stock_move_line ml ON ml.id = w.move_line_id
  JOIN product_uom mu ON mu.id = ml.product_uom_id
  JOIN product_product pp ON pp.id = l.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  JOIN product_uom pu ON pu.id = pt.uom_id
 GROUP BY w.parent_lot_id, w.lot_id, w.production_id, l.name, l.product_id
"""


def _params(scale):
    import genealogy_data as gd
    params = dict(gd.SCALES[scale])
    if params["units"] < PDF_UNITS:  # tiny: enough pumps for the 100-unit PDF
        params.update(units=PDF_UNITS, batch_units=PDF_UNITS)
    return params


def worker_generate(db, scale):
    def describe(gen, env):
        pump = gen.products["pump"]
        lots = env["stock.production.lot"].search(
            [("product_id", "=", pump.id), ("name", "=like", PREFIX + "-PUMP-%")],
            order="name")
        return {"unit_lot_id": lots[len(lots) // 2].id, "unit_lot_name": lots[len(lots) // 2].name,
                "pdf_lot_ids": lots[:PDF_UNITS].ids, "per_mo": gen.per_mo}
    return gen_bench.generate(db, PREFIX, _params(scale), META_KEY, describe)


def _answer(rows):
    """(lot name, product id, quantity) of each as-built row, sorted (a multiset)."""
    return sorted([name, product_id, round(float(qty or 0.0), 4)]
                  for name, product_id, qty in rows)


def worker_data(db, lot_id, repeat):
    odoo, registry = gen_bench._odoo(db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        lot = env["stock.production.lot"].browse(lot_id)
        lot.exists()
        record = lot.get_device_history_record()  # warm, as the bare SQL gets
        # the hand-written record on its own connection, run in turn with ours: on a
        # shared machine both sides then meet the same load
        conn = pg_connect(db)
        hand_cur = conn.cursor()
        hand.run_record(hand_cur, lot_id)  # warm: plans and buffers
        times, hand_times = [], []
        for _run in range(repeat):
            lot.invalidate_cache()  # every cached field of every model
            t = time.perf_counter()
            record = lot.get_device_history_record()
            times.append(time.perf_counter() - t)
            t = time.perf_counter()
            hand_parts = hand.run_record(hand_cur, lot_id)
            hand_times.append(time.perf_counter() - t)
        part, hand_part = [], []  # the as-built part alone, against its hand-written peer
        production_id = lot.production_id.id
        for _run in range(repeat):
            lot.invalidate_cache()
            t = time.perf_counter()
            lot._dhr_as_built(production_id)
            part.append(time.perf_counter() - t)
            t = time.perf_counter()
            hand.run_record(hand_cur, lot_id, ("as_built", "untracked"))
            hand_part.append(time.perf_counter() - t)
        conn.rollback()
        conn.close()
        products = {lot.id: lot.product_id.id for lot in env["stock.production.lot"].browse(
            [row["lot_id"] for row in record["as_built"]])}
        answer = _answer((row["lot_name"], products[row["lot_id"]], row["qty"])
                         for row in record["as_built"])
        full = {
            "as_built": sorted([r["lot_name"], r["product"], round(r["qty"], 4), r["uom"],
                                r["supplier"]] for r in record["as_built"]),
            "untracked": sorted([r["parent"], r["product"], round(r["qty"], 4), r["uom"]]
                                for r in record["untracked"]),
            "head": [record["product_name"], record["production"].get("name"),
                     record["production"].get("position")],
            "counts": [len(record["acceptance"]), len(record["labels"]["rows"]),
                       len(record["receiving"]), len(record["work_orders"]),
                       len(record["after_release"])]}
        out = {"times": times, "as_built_times": part, "answer": answer, "full": full,
               "hand_times": hand_times, "hand_as_built_times": hand_part,
               "hand_full": _full_answer(hand_parts, lot_id),
               "kind": record["kind"],
               "levels": max([row["level"] for row in record["as_built"]] or [0]),
               "untracked": len(record["untracked"]), "rss_peak_mb": rss_mb()["VmHWM"]}
        cr.rollback()
    return out


def worker_pdf(db, lot_ids):
    odoo, registry = gen_bench._odoo(db)
    config = odoo.tools.config
    assert not config["test_enable"] and not config["test_report_directory"]
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        Report = env["ir.actions.report"]
        state = Report.get_wkhtmltopdf_state()
        assert state == "ok", "wkhtmltopdf: %s" % state
        # the report carries its own styles (as in the addon's tests): no HTTP fetch
        env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:1")
        report = env.ref(REPORT)
        report.render_qweb_pdf(lot_ids[:1])  # warm: templates, assets bundle
        before = rss_mb()
        t = time.perf_counter()
        content, kind = report.render_qweb_pdf(lot_ids)
        elapsed = time.perf_counter() - t
        peak = rss_mb()
        from PyPDF2 import PdfFileReader
        import io
        pages = PdfFileReader(io.BytesIO(content), strict=False).getNumPages()
        cr.rollback()
    return {"time": elapsed, "kind": kind, "is_pdf": content[:4] == b"%PDF",
            "bytes": len(content), "pages": pages, "rss_before_mb": before["VmRSS"],
            "rss_peak_mb": peak["VmHWM"]}


def _best(cur, sql, params, repeat):
    cur.execute(sql, params)  # warm: plan and buffers
    rows = cur.fetchall()
    times = []
    for _run in range(repeat):
        t = time.perf_counter()
        cur.execute(sql, params)
        rows = cur.fetchall()
        times.append(time.perf_counter() - t)
    return times, rows


def _full_answer(parts, lot_id):
    position = [i for i, row in enumerate(parts["produced"], 1) if row[0] == lot_id]
    head = parts["head"][0]
    return {
        "as_built": sorted([r[1], r[2], round(float(r[3]), 4), r[4], r[5]]
                           for r in parts["as_built"]),
        "untracked": sorted([r[0], r[1], round(float(r[2]), 4), r[3]]
                            for r in parts["untracked"]),
        "head": [head[1], head[8], position[0] if position else None],
        "counts": [len(parts[name]) for name in
                   ("acceptance", "labels", "receiving", "work_orders", "after_release")]}


def run_sql(db, lot_id, repeat):
    """The bare as-built walk (runs and answer) and the best run of the addon's own
    as-built query (``sql/device_history.py``) sent bare: the database's share."""
    dhr_sql = gen_bench._load(os.path.join(gen_bench.ROOT, "serial_traceability", "sql",
                                           "device_history.py"), "serial_bench_dhr_sql")
    conn = pg_connect(db)
    try:
        cur = conn.cursor()
        times, rows = _best(cur, AS_BUILT_SQL, {"lot_id": lot_id}, repeat)
        kept, _rows = _best(cur, dhr_sql.AS_BUILT, {
            "lot_id": lot_id, "uid": 1, "lang": "en_US"}, repeat)
        conn.rollback()
    finally:
        conn.close()
    return {"rows_times": times, "rows": _answer(rows), "kept_s": min(kept)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("tiny", "quick", "full"), default="quick")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse-db", action="store_true",
                        help="time an existing bench_dhr_<scale> again (implies --keep-db)")
    parser.add_argument("--no-update", action="store_true",
                        help="with --reuse-db: do not update the addon in it first")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    db = "bench_dhr_%s" % args.scale
    log("machine: %s; database %s" % (gen_bench.machine(), db))
    meta = gen_bench.prepare_db(db, __file__, META_KEY, args.reuse_db, not args.no_update,
                                scale=args.scale)
    log("data: %d finished units, %d move lines; bulk load %.0f s" % (
        meta["units"], meta["counts"].get("stock_move_line", 0), meta["generate_s"]))

    log("dhr data of %s" % meta["unit_lot_name"])
    ours = gen_bench.run_worker("data", __file__, db=db, lot_id=meta["unit_lot_id"],
                                repeat=args.repeat)
    sql = run_sql(db, meta["unit_lot_id"], args.repeat)
    ours_s, sql_s, sql_answer = min(ours["times"]), min(ours["hand_times"]), sql["rows"]
    ok = (ours["answer"] == sql_answer and bool(sql_answer)
          and ours["full"] == ours["hand_full"])
    log("  ours (%s): runs %s s, %d as-built rows on %d levels, %d untracked; hand-written"
        " record runs %s s; bare as-built walk runs %s s"
        % (ours["kind"], " ".join("%.4f" % x for x in ours["times"]), len(ours["answer"]),
           ours["levels"], ours["untracked"],
           " ".join("%.4f" % x for x in ours["hand_times"]),
           " ".join("%.4f" % x for x in sql["rows_times"])))
    if not ok:
        log("  DIFFERENT ANSWERS: ours %s %s, sql %s %s" % (
            ours["answer"], ours["full"], sql_answer, ours["hand_full"]))

    lot_ids = meta["pdf_lot_ids"]
    log("dhr pdf of %d units" % len(lot_ids))
    pdf = gen_bench.run_worker("pdf", __file__, db=db, lot_ids=lot_ids)
    log("  %s, %d pages, %.0f kB in %.2f s; RSS %.0f MB before, peak %.0f MB" % (
        pdf["kind"], pdf["pages"], pdf["bytes"] / 1024.0, pdf["time"],
        pdf["rss_before_mb"], pdf["rss_peak_mb"]))
    pdf_ok = pdf["kind"] == "pdf" and pdf["is_pdf"] and pdf["pages"] >= len(lot_ids)

    part_s, rows_s = min(ours["as_built_times"]), min(sql["rows_times"])
    built_sql_s = min(ours["hand_as_built_times"])
    print("RESULT dhr_data ours_s=%.4f sql_s=%.4f vs_sql=%.2fx same_answer=%s"
          " as_built_s=%.4f as_built_sql_s=%.4f as_built_vs_sql=%.2fx rows_sql_s=%.4f"
          " kept_sql_s=%.4f rows=%d" % (
              ours_s, sql_s, ours_s / sql_s, "yes" if ok else "no", part_s,
              built_sql_s, part_s / built_sql_s, rows_s, sql["kept_s"],
              len(sql_answer)))
    print("RESULT dhr_pdf units=%d ours_s=%.2f per_unit_s=%.3f pages=%d pdf=%s" % (
        len(lot_ids), pdf["time"], pdf["time"] / len(lot_ids), pdf["pages"],
        "yes" if pdf_ok else "no"))
    sys.stdout.flush()
    if not (args.keep_db or args.reuse_db):
        gen_bench.drop_db(db)
    return 0 if ok and pdf_ok else 1


if __name__ == "__main__":
    gen_bench.script_main(main, {"generate": worker_generate, "data": worker_data,
                                 "pdf": worker_pdf})

#!/usr/bin/env python
# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Forward trace of a widely used component lot to every finished unit and its
delivery: our engine against the host's own way and against bare recursive SQL.

    .venv/bin/python benchmarks/genealogy.py [--scale quick|full] [--keep-db]

Builds database ``bench_genealogy_<scale>`` (serial_traceability without demo),
fills it with ``genealogy_data.py`` (host-shaped rows, the addon's trigger on)
and times, on that one database:

- ours: ``stock.production.lot.get_trace('forward')`` in a real Odoo environment;
- host: the host's Downstream Traceability report, every line unfolded through
  the ORM (``get_lines``), capped at ``--host-limit`` seconds;
- cte: the bare recursive SQL on the addon's edge table and indexes (best of
  four formulations), on a fresh connection;
- kept_sql: ours' own query (the kept forward closure and the units' status) sent
  bare on that connection: what Odoo adds on top of the database's work;
- cte_host: the same question in plain recursive SQL on the host's own tables
  with only the host's indexes (the addon's indexes on ``stock_move_line`` are
  dropped inside a transaction that is rolled back).

Each Odoo side runs in a fresh process, so its peak RSS is its own. All answers
(lots reached, finished units, last delivery of each) must agree.
"""
import argparse
import os
import signal
import statistics
import sys
import time

from bench_harness import (  # noqa: F401 (other benchmarks use them from here)
    CONF, HERE, HTTP_PORT, ROOT, _load, _odoo, create_db, db_exists, drop_db, generate, log,
    machine, pg_connect, prepare_db, read_meta, rss_mb, run_worker, script_main,
    update_module, vacuum_analyze)

HOST_LIMIT = {"tiny": 60, "quick": 120, "full": 600}
META_KEY = "serial_traceability.bench_genealogy_meta"


def genealogy_sql():
    """The addon's SQL text, host-free (no Odoo import)."""
    return _load(os.path.join(ROOT, "serial_traceability", "sql", "genealogy.py"),
                 "serial_bench_genealogy_sql")


def _answer_json(answer):
    lots, units, shipped = answer
    return {"lots": sorted(lots), "units": sorted(units),
            "shipped": sorted([u, p] for u, p in shipped.items())}


def worker_generate(db, scale, trigger):
    sys.path.insert(0, HERE)
    import genealogy_data as gd

    def describe(gen, _env):
        lot = gen.target_lot()
        return {"lot_id": lot.id, "lot_name": lot.name, "trigger": trigger,
                "unit_product_id": gen.products["pump"].id}
    return generate(db, "G", dict(gd.SCALES[scale]), META_KEY, describe, trigger)


def worker_ours(db, lot_id, unit_product_id, repeat):
    sys.path.insert(0, HERE)
    import genealogy_checks as gc
    odoo, registry = _odoo(db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        lot = env["stock.production.lot"].browse(lot_id)
        lot.exists()  # the record itself checked before timing
        before = rss_mb()
        lot.get_trace("forward")  # warm, as the bare SQL's runs are (see time_sql)
        times = []
        for _run in range(repeat):
            t = time.perf_counter()
            rows = lot.get_trace("forward")
            times.append(time.perf_counter() - t)
        answer = gc.answer_from_trace(rows, unit_product_id)
        cr.rollback()
    return {"times": times, "rows": len(rows), "answer": _answer_json(answer),
            "rss_before_mb": before["VmRSS"], "rss_peak_mb": rss_mb()["VmHWM"]}


class _Cap(Exception):
    pass


def _cap(_signum, _frame):
    raise _Cap()


def worker_host(db, lot_id, unit_product_id, limit):
    sys.path.insert(0, HERE)
    import genealogy_checks as gc
    odoo, registry = _odoo(db)
    state = {}
    with odoo.api.Environment.manage():
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            lot = env["stock.production.lot"].browse(lot_id)
            lot.exists()
            before = rss_mb()
            # one unfold can take minutes: the cap interrupts it (a grace second
            # after the walk's own check between unfolds)
            signal.signal(signal.SIGALRM, _cap)
            signal.setitimer(signal.ITIMER_REAL, limit + 1)
            t = time.perf_counter()
            try:
                lines, complete, unfolds = gc.host_report_walk(
                    env, lot, deadline=time.time() + limit, state=state)
            except _Cap:
                lines, complete, unfolds = state.get("lines", set()), False, state.get(
                    "unfolds", 0)
            elapsed = time.perf_counter() - t
            signal.setitimer(signal.ITIMER_REAL, 0)
            peak = rss_mb()["VmHWM"]
            cr.rollback()
        with registry.cursor() as cr:
            answer = gc.answer_from_lines(cr, lines, lot_id, unit_product_id)
    return {"time": elapsed, "complete": complete, "unfolds": unfolds, "lines": len(lines),
            "answer": _answer_json(answer), "rss_before_mb": before["VmRSS"],
            "rss_peak_mb": peak}


# -- bare SQL -----------------------------------------------------------------------------
# The closure on the edge table without the path array (the data has no cycles).
EDGE_WALK_UNION = """
WITH RECURSIVE c(lot_id, parent_lot_id, depth, production_id) AS (
    SELECT e.parent_lot_id, e.component_lot_id, 1, e.production_id
      FROM serial_genealogy_edge e WHERE e.component_lot_id = %(lot_id)s AND e.active
    UNION
    SELECT e.parent_lot_id, e.component_lot_id, c.depth + 1, e.production_id
      FROM c JOIN serial_genealogy_edge e ON e.component_lot_id = c.lot_id AND e.active
)"""

# The same closure on the host's own rows: consumed move lines of done MOs.
HOST_WALK = """
WITH RECURSIVE walk(lot_id, parent_lot_id, depth, production_id, path) AS (
    SELECT ml.lot_produced_id, ml.lot_id, 1, m.raw_material_production_id,
           ARRAY[ml.lot_id, ml.lot_produced_id]
      FROM stock_move_line ml JOIN stock_move m ON m.id = ml.move_id
     WHERE ml.lot_id = %(lot_id)s AND ml.state = 'done' AND ml.lot_produced_id IS NOT NULL
       AND m.raw_material_production_id IS NOT NULL
    UNION ALL
    SELECT ml.lot_produced_id, ml.lot_id, w.depth + 1, m.raw_material_production_id,
           w.path || ml.lot_produced_id
      FROM walk w
      JOIN stock_move_line ml ON ml.lot_id = w.lot_id
      JOIN stock_move m ON m.id = ml.move_id
     WHERE ml.state = 'done' AND ml.lot_produced_id IS NOT NULL
       AND m.raw_material_production_id IS NOT NULL AND ml.lot_produced_id <> ALL(w.path)
), c AS (
    SELECT DISTINCT ON (lot_id, parent_lot_id, production_id)
           lot_id, parent_lot_id, depth, production_id
      FROM walk ORDER BY lot_id, parent_lot_id, production_id, depth
)"""

# Current location and last customer delivery of every reached lot, set-based:
# one pass over the lots' move lines instead of two lookups per lot.
STATUS_SET = """
, units AS (SELECT DISTINCT lot_id FROM c)
, last AS (
    SELECT DISTINCT ON (ml.lot_id) ml.lot_id, ml.location_dest_id AS location_id
      FROM stock_move_line ml JOIN units u ON u.lot_id = ml.lot_id
     WHERE ml.state = 'done' ORDER BY ml.lot_id, ml.date DESC, ml.id DESC)
, ship AS (
    SELECT DISTINCT ON (ml.lot_id) ml.lot_id, p.partner_id, ml.picking_id, ml.date
      FROM stock_move_line ml JOIN units u ON u.lot_id = ml.lot_id
      JOIN stock_location d ON d.id = ml.location_dest_id AND d.usage = 'customer'
      LEFT JOIN stock_picking p ON p.id = ml.picking_id
     WHERE ml.state = 'done' ORDER BY ml.lot_id, ml.date DESC, ml.id DESC)
SELECT c.lot_id, c.parent_lot_id, c.depth, c.production_id, lot.product_id,
       last.location_id, loc.usage, ship.partner_id, ship.picking_id, ship.date
  FROM c JOIN stock_production_lot lot ON lot.id = c.lot_id
  LEFT JOIN last ON last.lot_id = c.lot_id
  LEFT JOIN stock_location loc ON loc.id = last.location_id
  LEFT JOIN ship ON ship.lot_id = c.lot_id
"""


def edge_variants():
    """Bare recursive formulations of the question on the addon's edge table and
    indexes (the recall benchmark reads them too)."""
    sql = genealogy_sql()
    return {
        "addon_function": sql.trace_sql("forward"),
        "addon_cte": sql._trace_body("forward"),
        # status from the lot columns the addon keeps, as ours reads it
        "union_lot_columns": EDGE_WALK_UNION + sql._with_status("SELECT * FROM c"),
        # status looked up in the move lines, on the addon's indexes
        "union_setbased": EDGE_WALK_UNION + STATUS_SET,
    }


def time_sql(cur, sql, params, repeat):
    """Median seconds (and the rows) of the better of JIT on and off: the bare
    query at its best on this server."""
    best = None
    for jit in ("on", "off"):
        cur.execute("SELECT set_config('jit', %s, false) FROM pg_settings WHERE name = 'jit'",
                    (jit,))
        cur.execute(sql, params)  # warm: plan and buffers, as ours gets
        cur.fetchall()
        times, rows = [], None
        for _run in range(repeat):
            t = time.perf_counter()
            cur.execute(sql, params)
            rows = cur.fetchall()
            times.append(time.perf_counter() - t)
        if best is None or statistics.median(times) < best[0]:
            best = (statistics.median(times), rows)
    return best


def run_ctes(db, lot_id, unit_product_id, repeat):
    sys.path.insert(0, HERE)
    import genealogy_checks as gc
    conn = pg_connect(db)
    results = {}
    try:
        cur = conn.cursor()
        cur.execute("SELECT array_agg(id) FROM res_company")
        params = {"lot_id": lot_id, "company_ids": cur.fetchone()[0], "max_depth": None}
        # the recursive formulations, then ours' own query (the kept forward closure
        # read in one index range) sent bare
        queries = dict(edge_variants(), kept_closure=genealogy_sql().trace_sql(
            "forward", kept=True))
        for name, sql in queries.items():
            seconds, rows = time_sql(cur, sql, params, repeat)
            results[name] = (seconds, len(rows), gc.answer_from_trace(rows, unit_product_id))
        conn.rollback()
        # The host's schema as the host ships it: no index on stock_move_line but
        # its primary key (constraint-backed indexes cannot be dropped this way).
        cur.execute("""
            SELECT i.relname FROM pg_index x
              JOIN pg_class i ON i.oid = x.indexrelid
             WHERE x.indrelid = 'stock_move_line'::regclass AND NOT x.indisprimary
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
        """)
        dropped = [r[0] for r in cur.fetchall()]
        for name in dropped:
            cur.execute('DROP INDEX "%s"' % name)
        seconds, rows = time_sql(cur, HOST_WALK + STATUS_SET, params, repeat)
        results["host_schema"] = (seconds, len(rows), gc.answer_from_trace(rows, unit_product_id))
        conn.rollback()
    finally:
        conn.close()
    return results, dropped


# -- the run ------------------------------------------------------------------------------
def same(a, b):
    return a["lots"] == b["lots"] and a["units"] == b["units"] and a["shipped"] == b["shipped"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("tiny", "quick", "full"), default="quick")
    parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse-db", action="store_true",
                        help="time an existing bench_genealogy_<scale> again (implies --keep-db)")
    parser.add_argument("--no-update", action="store_true",
                        help="with --reuse-db: do not update the addon in it first")
    parser.add_argument("--host-limit", type=float, help="seconds for the host's walk")
    parser.add_argument("--no-trigger", action="store_true",
                        help="load with the edge trigger off, then the addon's backfill")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (median) per query")
    args = parser.parse_args()
    db = "bench_genealogy_%s" % args.scale
    limit = args.host_limit or HOST_LIMIT[args.scale]
    log("machine: %s; database %s" % (machine(), db))

    meta = prepare_db(db, __file__, META_KEY, args.reuse_db, not args.no_update,
                      scale=args.scale, trigger=not args.no_trigger)
    counts = meta["counts"]
    log("data: %d finished units, %d move lines, %d MOs, %d lots; setup %.0f s, bulk load %.0f s"
        " (edge trigger %s), VACUUM ANALYZE %.0f s" % (
            meta["units"], counts.get("stock_move_line", 0), counts.get("mrp_production", 0),
            counts.get("stock_production_lot", 0), meta["setup_s"], meta["generate_s"],
            "on during the load" if meta["trigger"] else "off, then backfill",
            meta.get("vacuum_s", 0)))
    conn = pg_connect(db)
    cur = conn.cursor()
    cur.execute("SELECT (SELECT count(*) FROM stock_move_line), (SELECT count(*) FROM"
                " serial_genealogy_edge), (SELECT count(*) FROM serial_genealogy_edge"
                " WHERE component_lot_id = %s)", (meta["lot_id"],))
    n_lines, n_edges, n_direct = cur.fetchone()
    conn.close()
    log("stock_move_line rows: %d; genealogy edges: %d; lot %s goes directly into %d units"
        % (n_lines, n_edges, meta["lot_name"], n_direct))

    lot, unit = meta["lot_id"], meta["unit_product_id"]
    ours = run_worker("ours", __file__, db=db, lot_id=lot, unit_product_id=unit, repeat=args.repeat)
    ours_s = statistics.median(ours["times"])
    log("ours: %d rows, runs %s s, RSS %.0f MB before, peak %.0f MB" % (
        ours["rows"], " ".join("%.3f" % x for x in ours["times"]), ours["rss_before_mb"],
        ours["rss_peak_mb"]))
    ctes, dropped = run_ctes(db, lot, unit, args.repeat)
    for name, (seconds, n, _answer) in sorted(ctes.items()):
        log("bare SQL %-15s %.3f s, %d rows" % (name, seconds, n))
    log("host schema: dropped (in a rolled-back transaction) %s" % (", ".join(dropped) or "-"))

    host = run_worker("host", __file__, db=db, lot_id=lot, unit_product_id=unit, limit=limit)
    log("host report walk: %.1f s, %s, %d unfolds, %d move lines, %d of %d units reached,"
        " RSS %.0f MB before, peak %.0f MB" % (
            host["time"], "complete" if host["complete"] else "stopped at the cap",
            host["unfolds"], host["lines"], len(host["answer"]["units"]),
            len(ours["answer"]["units"]), host["rss_before_mb"], host["rss_peak_mb"]))
    answers = {name: _answer_json(a) for name, (_s, _n, a) in ctes.items()}
    mismatch = [name for name, a in answers.items() if not same(a, ours["answer"])]
    h, o = host["answer"], ours["answer"]
    if host["complete"]:
        host_ok = same(h, o)
    else:
        shipped = dict(map(tuple, o["shipped"]))
        host_ok = (set(h["lots"]) <= set(o["lots"]) and set(h["units"]) <= set(o["units"])
                   and all(u in shipped for u, _p in h["shipped"]))
    if not host_ok:
        mismatch.append("host")
    if mismatch:
        log("DIFFERENT ANSWERS: %s" % ", ".join(mismatch))
    # cte_s: the best recursive CTE on the addon's tables (the "bare CTE");
    # kept_sql_s: ours' own query sent bare, i.e. what Odoo adds on top of it.
    edge_best = min((k for k in ctes if k not in ("host_schema", "kept_closure")),
                    key=lambda k: ctes[k][0])
    cte_s, cte_host_s, host_s = ctes[edge_best][0], ctes["host_schema"][0], host["time"]
    kept_s = ctes["kept_closure"][0]
    log("cte_s is the best edge formulation: %s" % edge_best)
    print("RESULT genealogy_forward rows=%d units=%d ours_s=%.3f host_s=%.1f cte_s=%.3f"
          " cte_host_s=%.3f vs_host=%s%.0fx vs_cte=%.2fx vs_cte_host=%.1fx same_answer=%s"
          " kept_sql_s=%.3f vs_kept_sql=%.2fx"
          " ours_rss_mb=%.0f host_rss_mb=%.0f host_complete=%s host_units=%d" % (
              ours["rows"], len(o["units"]), ours_s, host_s, cte_s, cte_host_s,
              "" if host["complete"] else ">", host_s / ours_s, ours_s / cte_s,
              cte_host_s / ours_s, "no" if mismatch else "yes", kept_s, ours_s / kept_s,
              ours["rss_peak_mb"], host["rss_peak_mb"], "yes" if host["complete"] else "no",
              len(h["units"])))
    sys.stdout.flush()
    if not (args.keep_db or args.reuse_db):
        drop_db(db)
    return 1 if mismatch else 0


if __name__ == "__main__":
    script_main(main, {"generate": worker_generate, "ours": worker_ours, "host": worker_host})

#!/usr/bin/env python
# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Installing the addon into a database that already holds years of history.

    .venv/bin/python benchmarks/install_on_history.py [--scale tiny|quick|full] [--keep-db]

1. ``bench_install_<scale>``: Odoo with the addon's dependencies only (stock, mrp,
   barcodes, mail, report_xlsx; no demo), copied at once to ``..._ref``;
2. ``..._ref`` gets the addon installed first;
3. both get the same history from the genealogy benchmark's generator
   (``genealogy_data.py``: master data and template rows through the host's own
   flows, the volume cloned in bulk SQL) and three unbuilt pumps (the host's unbuild);
   on the host-only database through ``serial_traceability/demo/flow.py`` (no addon model involved),
   on ``_ref`` with the addon's triggers and hooks at work. The host-only database
   also gets history the addon cannot read: a done consumption line whose lot is
   another product's, and a lot of a product without company that never moved;
4. the host-only database is vacuumed and analysed (as a production database is),
   then ``-i serial_traceability`` and ``-u serial_traceability`` right after are
   timed, each a fresh Odoo process; the install's log gives each backfill step;
5. both databases are compared, rows by natural keys (product code and lot name, MO,
   picking, partner, location names): genealogy links, kept closure, the lots' company
   and unit fields, and on a sample of lots (every lot below 2,000 lots) the stored
   warranty and quality columns, which ``_ref`` computes through the ORM.

Ends with ``RESULT install_on_history finished=... move_lines=... install_s=...
upgrade_s=... same_state=yes``, after one ``RESULT install_on_history_step`` line per
backfill step.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import genealogy as gen_bench  # noqa: E402
import genealogy_data as gd  # noqa: E402

log = gen_bench.log
DEPENDENCIES = ("stock", "mrp", "barcodes", "mail", "report_xlsx")
META_KEY = "serial_traceability.bench_install_meta"
UNBUILDS = 3
STEP_LINE = re.compile(r"Install backfill step (\w+): (.*) in ([0-9.]+) s")


# -- the databases ---------------------------------------------------------------------
def odoo_cmd(db, *args):
    return [sys.executable, os.path.join(gen_bench.ROOT, "tools", "odoo"), "-c",
            gen_bench.CONF, "-d", db, "--stop-after-init", "--without-demo=all",
            "--http-port=%s" % gen_bench.HTTP_PORT, "--max-cron-threads=0"] + list(args)


def run_odoo(db, logfile, *args):
    """Run Odoo on ``db``; its log to ``logfile``; seconds it took."""
    t = time.time()
    with open(logfile, "w") as out:
        proc = subprocess.run(odoo_cmd(db, *args), stdout=out, stderr=subprocess.STDOUT,
                              cwd=gen_bench.ROOT)
    if proc.returncode:
        raise SystemExit("odoo %s on %s failed (exit %d), see %s"
                         % (" ".join(args), db, proc.returncode, logfile))
    return time.time() - t


def clone_db(source, target):
    gen_bench.drop_db(target)
    conn = gen_bench.pg_connect("postgres")
    conn.autocommit = True
    try:
        conn.cursor().execute('CREATE DATABASE "%s" TEMPLATE "%s"' % (target, source))
    finally:
        conn.close()


# -- workers ---------------------------------------------------------------------------
def worker_generate(db, scale, host_only, sample_all):
    """The history, through the host's flows and bulk SQL; then the unbuilds (and on
    the host-only database the unreadable rows); on ``_ref`` the stored computed lot
    columns of the sample through the ORM."""
    odoo, registry = gen_bench._odoo(db)
    params = dict(gd.SCALES[scale])
    out = {}
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        gen = gd.GenealogyData(cr, prefix="G", log=log, **params)
        t = time.time()
        gen.setup(params["units"])
        gen.generate(params["units"], params["batch_units"], on_batch=lambda _n: cr.commit())
        gen.finish()
        cr.commit()
        out["generate_s"] = time.time() - t
        out["unbuilt"] = _unbuild(env, gen)
        if host_only:
            out["unreadable"] = _unreadable(env, gen)
        else:
            out["orm_lots"] = _orm_computed(env, sample_all)
        out["counts"] = dict(gen.counts)
        cr.execute("INSERT INTO ir_config_parameter (key, value) VALUES (%s, %s)",
                   (META_KEY, json.dumps(out)))
        cr.commit()
    return out


def _unbuild(env, gen):
    """Unbuild the first pumps left in stock (every 20th unit is never shipped)."""
    names = []
    for i in range(19, gen.done_units, 20)[:UNBUILDS]:
        lot = env["stock.production.lot"].search([
            ("product_id", "=", gen.products["pump"].id), ("name", "=", "G-PUMP-%07d" % i)])
        env.cr.execute("""
            SELECT m.production_id FROM stock_move_line ml
              JOIN stock_move m ON m.id = ml.move_id
             WHERE ml.lot_id = %s AND m.production_id IS NOT NULL""", (lot.id,))
        mo = env["mrp.production"].browse(env.cr.fetchone()[0])
        unbuild = env["mrp.unbuild"].create({
            "product_id": lot.product_id.id, "bom_id": gen.boms["pump"].id,
            "product_qty": 1, "product_uom_id": lot.product_id.uom_id.id,
            "mo_id": mo.id, "lot_id": lot.id})
        unbuild.action_unbuild()
        names.append(lot.name)
    return names


def _unreadable(env, gen):
    """A done consumption line whose lot belongs to another product (a capacitor lot
    on an MCU line), and a lot of a product without company that never moved. Their
    lots are named BAD-... and left out of the comparison."""
    cr = env.cr
    Lot = env["stock.production.lot"]
    wrong = Lot.create({"product_id": gen.products["cap"].id, "name": "BAD-CAP"})
    cr.execute("SELECT max(id) FROM stock_move_line WHERE product_id = %s"
               " AND lot_produced_id IS NOT NULL AND state = 'done'",
               (gen.products["mcu"].id,))
    template_line = cr.fetchone()[0]
    cr.execute("""
        INSERT INTO stock_move_line (move_id, product_id, product_uom_id, lot_id,
               lot_produced_id, qty_done, product_qty, product_uom_qty, location_id,
               location_dest_id, state, date, reference)
        SELECT move_id, product_id, product_uom_id, %s, lot_produced_id, qty_done,
               product_qty, product_uom_qty, location_id, location_dest_id, state, date,
               reference
          FROM stock_move_line WHERE id = %s RETURNING id""", (wrong.id, template_line))
    line_id = cr.fetchone()[0]
    shared = env["product.product"].create({"name": "G Shared sample", "type": "product",
                                            "tracking": "serial", "company_id": False})
    orphan = Lot.create({"product_id": shared.id, "name": "BAD-ORPHAN"})
    return {"line_id": line_id, "lot_id": orphan.id}


def _orm_computed(env, sample_all):
    """On ``_ref``: the sample's warranty and quality columns as the ORM computes them
    (the bulk rows bypassed the ORM, which would have computed them one by one)."""
    lots = env["stock.production.lot"].browse(_sample_ids(env.cr, sample_all))
    for name in ("warranty_start", "warranty_end", "quality_state"):
        lots._recompute_todo(lots._fields[name])
    lots.recompute()
    return len(lots)


def _sample_where(sample_all):
    return "TRUE" if sample_all else "md5(l.name) < '1'"


def _sample_ids(cr, sample_all):
    cr.execute("SELECT l.id FROM stock_production_lot l WHERE l.name NOT LIKE 'BAD-%%' AND "
               + _sample_where(sample_all))
    return [row[0] for row in cr.fetchall()]


# -- the comparison ----------------------------------------------------------------------
def _lot_key(alias):
    return ("(SELECT p.default_code || ':' || l.name FROM stock_production_lot l"
            " JOIN product_product p ON p.id = l.product_id WHERE l.id = %s)" % alias)


def state_queries(sample_all):
    """{name: SQL giving one text per row}; the same rows in both databases."""
    loc = "(SELECT complete_name FROM stock_location WHERE id = %s)"
    # Dates as the move lines they come from: the template rows are made through the
    # host's flows at the time of each run, a few minutes apart in the two databases.
    # The last delivery's reference, marked when the lot's date is not that line's: a
    # delivery and a re-delivery may share a second in one database and not the other.
    shipped = ("(SELECT ml.reference || CASE WHEN ml.date = l.ship_date THEN ''"
               " ELSE ' (ship date differs)' END FROM stock_move_line ml"
               " JOIN stock_location dst ON dst.id = ml.location_dest_id"
               " WHERE ml.lot_id = l.id AND ml.state = 'done' AND dst.usage = 'customer'"
               " ORDER BY ml.date DESC, ml.id DESC LIMIT 1)")
    return {
        "links": """
            SELECT concat_ws('|', {c}, {p}, mo.name, e.qty, e.date = ml.date, e.active,
                             co.name, pr.default_code, ub.name)
              FROM serial_genealogy_edge e
              JOIN stock_move_line ml ON ml.id = e.move_line_id
              LEFT JOIN mrp_production mo ON mo.id = e.production_id
              LEFT JOIN res_company co ON co.id = e.company_id
              LEFT JOIN product_product pr ON pr.id = e.product_id
              LEFT JOIN mrp_unbuild ub ON ub.id = e.unbuild_id
        """.format(c=_lot_key("e.component_lot_id"), p=_lot_key("e.parent_lot_id")),
        "closure": """
            SELECT concat_ws('|', {r}, {l}, {p}, mo.name, r.depth)
              FROM serial_genealogy_reach r
              LEFT JOIN mrp_production mo ON mo.id = r.production_id
        """.format(r=_lot_key("r.root_lot_id"), l=_lot_key("r.lot_id"),
                   p=_lot_key("r.parent_lot_id")),
        "lot_columns": """
            SELECT concat_ws('|', pr.default_code, l.name, co.name, mo.name, sup.name,
                             cus.name, {shipped}, l.unit_state, pk.name, {loc})
              FROM stock_production_lot l
              JOIN product_product pr ON pr.id = l.product_id
              LEFT JOIN res_company co ON co.id = l.company_id
              LEFT JOIN mrp_production mo ON mo.id = l.production_id
              LEFT JOIN res_partner sup ON sup.id = l.supplier_id
              LEFT JOIN res_partner cus ON cus.id = l.customer_id
              LEFT JOIN stock_picking pk ON pk.id = l.delivery_picking_id
             WHERE l.name NOT LIKE 'BAD-%%'
        """.format(loc=loc % "l.current_location_id", shipped=shipped),
        "lot_computed": """
            SELECT concat_ws('|', pr.default_code, l.name, l.warranty_start, l.warranty_end,
                             l.quality_state)
              FROM stock_production_lot l JOIN product_product pr ON pr.id = l.product_id
             WHERE l.name NOT LIKE 'BAD-%%' AND {sample}
        """.format(sample=_sample_where(sample_all)),
    }


def worker_state(db, sample_all):
    """Per comparison: row count and an order-free digest (sum of row hashes)."""
    conn = gen_bench.pg_connect(db)
    try:
        cur = conn.cursor()
        cur.execute("SET work_mem = '256MB'")
        result = {}
        for name, sql in state_queries(sample_all).items():
            cur.execute("SELECT count(*), COALESCE(sum(('x' || substr(md5(t), 1, 15))"
                        "::bit(60)::bigint), 0)::text FROM (%s) x(t)" % sql)
            result[name] = list(cur.fetchone())
        return result
    finally:
        conn.close()


def differences(db_a, db_b, name, sample_all, limit=10):
    """Up to ``limit`` rows of ``name`` in only one of the databases (small scales)."""
    rows = []
    for db in (db_a, db_b):
        conn = gen_bench.pg_connect(db)
        cur = conn.cursor()
        cur.execute(state_queries(sample_all)[name])
        rows.append(set(r[0] for r in cur.fetchall()))
        conn.close()
    return (sorted(rows[0] - rows[1])[:limit], sorted(rows[1] - rows[0])[:limit])


# -- the run -------------------------------------------------------------------------------
def read_steps(logfile):
    steps, recomputed, reported = [], [], []
    with open(logfile) as handle:
        for line in handle:
            match = STEP_LINE.search(line)
            if match:
                steps.append((match.group(1), float(match.group(3)), match.group(2)))
            field = line.split("Storing computed values of")[-1].strip()
            if "Storing computed values of" in line and not field.startswith("serial."):
                recomputed.append(field)  # a host table's rows, one by one
            if "ids: " in line and ("move lines carry" in line or "lots have no move" in line):
                reported.append(line.split("ids: ")[1].strip())
    return steps, recomputed, reported


def make_databases(db, ref, logdir, scale, sample_all):
    """The host-only database with its history, and _ref; what each worker said."""
    gen_bench.drop_db(db)
    base_s = run_odoo(db, os.path.join(logdir, "%s_base.log" % db),
                      "-i", ",".join(DEPENDENCIES), "--log-level=warn")
    clone_db(db, ref)
    ref_s = run_odoo(ref, os.path.join(logdir, "%s_install.log" % ref),
                     "-i", "serial_traceability", "--log-level=info")
    log("dependencies installed in %.0f s; the addon on the empty _ref copy in %.0f s"
        % (base_s, ref_s))
    made = {}
    for name, host_only in ((db, True), (ref, False)):
        made[name] = gen_bench.run_worker("generate", __file__, db=name, scale=scale,
                                          host_only=host_only, sample_all=sample_all)
        log("%s: history generated in %.0f s, unbuilt %s" % (
            name, made[name]["generate_s"], ", ".join(made[name]["unbuilt"])))
    t = time.time()
    gen_bench.vacuum_analyze(db)
    log("VACUUM ANALYZE of %s: %.0f s" % (db, time.time() - t))
    return made


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("tiny", "quick", "full"), default="quick")
    parser.add_argument("--keep-db", action="store_true",
                        help="keep the databases, and a copy of the history before the "
                             "install (<db>_history)")
    parser.add_argument("--reuse-db", action="store_true",
                        help="install again on a copy of <db>_history, compare with the "
                             "kept _ref (implies --keep-db)")
    parser.add_argument("--db", help="name of the host-only database (default "
                                     "bench_install_<scale>; the other gets _ref)")
    args = parser.parse_args()
    db = args.db or "bench_install_%s" % args.scale
    ref = db + "_ref"
    logdir = os.path.join(gen_bench.ROOT, ".state", "bench_logs")
    os.makedirs(logdir, exist_ok=True)
    log("machine: %s; databases %s and %s; Odoo logs in %s"
        % (gen_bench.machine(), db, ref, logdir))
    sample_all = args.scale == "tiny"
    history = db + "_history"
    if args.reuse_db:
        clone_db(history, db)
        made = {name: gen_bench.read_meta(name, META_KEY) for name in (db, ref)}
        log("reusing the history of %s and the state of %s" % (history, ref))
    else:
        made = make_databases(db, ref, logdir, args.scale, sample_all)
        if args.keep_db:
            clone_db(db, history)
    conn = gen_bench.pg_connect(db)
    cur = conn.cursor()
    cur.execute("SELECT (SELECT count(*) FROM stock_move_line),"
                " (SELECT count(*) FROM stock_production_lot),"
                " (SELECT count(*) FROM mrp_production)")
    move_lines, lots, mos = cur.fetchone()
    conn.close()
    log("history: %d finished serials, %d move lines, %d lots, %d MOs"
        % (gd.SCALES[args.scale]["units"], move_lines, lots, mos))

    install_log = os.path.join(logdir, "%s_install.log" % db)
    install_s = run_odoo(db, install_log, "-i", "serial_traceability", "--log-level=info")
    steps, recomputed, reported = read_steps(install_log)
    upgrade_log = os.path.join(logdir, "%s_upgrade.log" % db)
    upgrade_s = run_odoo(db, upgrade_log, "-u", "serial_traceability", "--log-level=info")
    redone, _recomputed, _reported = read_steps(upgrade_log)
    for name, seconds, what in steps:
        log("install step %-13s %7.1f s  %s" % (name, seconds, what))
    if recomputed:
        log("fields the ORM computed record by record at install: %s" % ", ".join(recomputed))
    bad = made[db]["unreadable"]
    reported_ok = any(str(bad["line_id"]) in r.split(", ") for r in reported) and any(
        str(bad["lot_id"]) in r.split(", ") for r in reported)
    log("unreadable history (line %s, lot %s) reported in the install log: %s"
        % (bad["line_id"], bad["lot_id"], "yes" if reported_ok else "NO"))

    states = {name: gen_bench.run_worker("state", __file__, db=name, sample_all=sample_all)
              for name in (db, ref)}
    mismatch = []
    for name in sorted(states[db]):
        a, b = states[db][name], states[ref][name]
        verdict = "same" if a == b else "DIFFERENT (ref: %d rows)" % b[0]
        log("compare %-12s %9d rows %s" % (name, a[0], verdict))
        if a != b:
            mismatch.append(name)
            if args.scale != "full":
                only_a, only_b = differences(db, ref, name, sample_all)
                log("  only after install: %s\n  only in _ref: %s" % (only_a, only_b))
    same_state = not mismatch and reported_ok and not recomputed and not redone
    for name, seconds, what in steps:
        print("RESULT install_on_history_step step=%s s=%.1f what=%r" % (name, seconds, what))
    print("RESULT install_on_history finished=%d move_lines=%d lots=%d install_s=%.0f"
          " upgrade_s=%.0f steps_s=%.0f links=%d closure_rows=%d orm_sample_lots=%d"
          " redone_on_upgrade=%d same_state=%s" % (
              gd.SCALES[args.scale]["units"], move_lines, lots, install_s, upgrade_s,
              sum(s for _n, s, _w in steps), states[db]["links"][0],
              states[db]["closure"][0], made[ref]["orm_lots"], len(redone),
              "yes" if same_state else "no"))
    sys.stdout.flush()
    if not (args.keep_db or args.reuse_db):
        gen_bench.drop_db(db)
        gen_bench.drop_db(ref)
    return 0 if same_state else 1


if __name__ == "__main__":
    gen_bench.script_main(main, {"generate": worker_generate, "state": worker_state})

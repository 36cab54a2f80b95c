#!/usr/bin/env python
# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Server time per scan on a receipt that already holds 5,000 scanned lines.

    .venv/bin/python benchmarks/scan_per_line.py [--lines 5000] [--scan-all] [--fresh]

Database ``bench_scan_per_line`` (serial_traceability without demo data; built when
missing or with ``--fresh``). In one transaction, rolled back at the end:

1. three receipts of ``lines + 60`` units of serial-tracked products with GTINs are
   confirmed: the host makes one empty operation line each; the others are copies of
   it made in SQL (what the host's ``_action_assign`` makes, one per unit, without
   15,000 ORM creates of set-up time);
2. ours, as a stock user through the scan screen (``on_barcode_scanned`` with GS1
   labels): receipt A gets 9 scans; receipt B gets ``lines`` lines filled in SQL as
   scans leave them (``--scan-all``: scanned one by one instead, slow); then 50 scans
   on A (scans 10-59) and 50 on B (scans 5,001-5,050), alternating, so that both see
   the same machine load; each timed and its queries counted on the cursor;
3. baseline, on receipt C: a scan handler that reads the transfer through the ORM, as
   OCA ``stock_barcodes`` 11.0 does (``moves.mapped('move_line_ids').filtered(...)``):
   5 scans, ``lines`` filled in SQL, 5 scans. Its cost follows the receipt's size, not
   the number scanned.

Both must give the same answer: receipts B and C hold the same serials, each on
exactly one line with ``qty_done = 1`` (and A its own).

Prints the medians and the plan of the query that finds the next empty line, then
``RESULT scan_per_line lines=5000 ms_per_scan=... queries_per_scan=...`` (ours on B)
with the 10th-scan figures (ours on A) beside them.
"""
import argparse
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench_harness  # noqa: E402
from bench_harness import log  # noqa: E402

ROOT = os.path.dirname(HERE)
CONF = os.environ.get("ST_ODOO_CONF", os.path.join(ROOT, ".state", "odoo.conf"))
DB = "bench_scan_per_line"
EXTRA = 10
WARM = 9
AFTER = 50
BASELINE_SCANS = 5  # each reads the whole receipt: seconds per scan at 5,000 lines


def gtin(number):
    from odoo.addons.serial_traceability.lib import gs1
    body = "0950622%06d" % number
    return body + gs1.gtin_check_digit(body)


def label(product, serial):
    return "]d2" + "01" + product.barcode + "21" + serial


def make_receipt(env, product, units):
    """A confirmed receipt of ``units`` with one empty operation line per unit."""
    warehouse = env["stock.warehouse"].search([], limit=1)
    in_type = warehouse.in_type_id
    partner = env["res.partner"].create({"name": "Bench supplier", "supplier": True})
    picking = env["stock.picking"].create({
        "picking_type_id": in_type.id, "partner_id": partner.id,
        "location_id": partner.property_stock_supplier.id,
        "location_dest_id": in_type.default_location_dest_id.id})
    move = env["stock.move"].create({
        "name": product.name, "picking_id": picking.id, "product_id": product.id,
        "product_uom": product.uom_id.id, "product_uom_qty": 1,
        "picking_type_id": in_type.id,
        "location_id": picking.location_id.id,
        "location_dest_id": picking.location_dest_id.id})
    picking.action_confirm()
    line = move.move_line_ids
    assert len(line) == 1 and not line.lot_id, "the host made no empty line"
    cr = env.cr
    cr.execute("""SELECT column_name FROM information_schema.columns
                   WHERE table_name = 'stock_move_line' AND column_name != 'id'""")
    columns = ", ".join('"%s"' % row[0] for row in cr.fetchall())
    cr.execute("UPDATE stock_move SET product_uom_qty = %s, product_qty = %s WHERE id = %s",
               (units, units, move.id))
    cr.execute("INSERT INTO stock_move_line (%s) SELECT %s FROM stock_move_line, "
               "generate_series(2, %%s) WHERE id = %%s" % (columns, columns),
               (units, line.id))
    env.cache.invalidate()
    return picking


def timed(env, func):
    cr = env.cr
    queries = cr.sql_log_count
    start = time.perf_counter()
    func()
    return (time.perf_counter() - start) * 1000.0, cr.sql_log_count - queries


def naive_scan(env, picking, product, serial):
    """A scan handler that finds the line through the picking's one2many."""
    from odoo.addons.serial_traceability.wizards.serial_picking_scan import NEW_LOT_CONTEXT
    lot = env["stock.production.lot"].with_context(**NEW_LOT_CONTEXT).create(
        {"name": serial, "product_id": product.id})
    line = picking.move_lines.mapped("move_line_ids").filtered(
        lambda l: l.product_id == product and not l.lot_id and not l.qty_done)[:1]
    line.write({"lot_id": lot.id, "lot_name": serial, "qty_done": 1})


def bulk_fill(env, picking, product, names):
    """Fill the first len(names) empty lines in SQL: what that many scans leave."""
    if not names:
        return
    cr = env.cr
    Lot = env["stock.production.lot"]
    if hasattr(Lot, "_serial_bulk_create"):
        # the serial generation feature's bulk insert: the ORM's defaults and
        # follow-ups, without an ORM create per lot
        ids = Lot._serial_bulk_create(product, names, env.user.company_id).ids
    else:
        ids = []
        for name in names:
            cr.execute("""INSERT INTO stock_production_lot (name, product_id, create_date,
                              write_date, create_uid, write_uid)
                          VALUES (%s, %s, now(), now(), 1, 1) RETURNING id""",
                       (name, product.id))
            ids.append(cr.fetchone()[0])
    cr.execute("""
        WITH todo AS (
            SELECT id, row_number() OVER (ORDER BY id) AS n FROM stock_move_line
             WHERE picking_id = %s AND lot_id IS NULL AND qty_done = 0),
        lots AS (SELECT id, name, row_number() OVER (ORDER BY id) AS n
                   FROM stock_production_lot WHERE id = ANY(%s))
        UPDATE stock_move_line ml SET lot_id = lots.id, lot_name = lots.name, qty_done = 1
          FROM todo JOIN lots ON lots.n = todo.n WHERE ml.id = todo.id""",
               (picking.id, ids))
    env.cache.invalidate()


def answer(env, picking):
    env.cr.execute("""
        SELECT l.name, count(*) FROM stock_move_line ml
          JOIN stock_production_lot l ON l.id = ml.lot_id
         WHERE ml.picking_id = %s AND ml.qty_done = 1 GROUP BY l.name ORDER BY l.name""",
                   (picking.id,))
    return env.cr.fetchall()


def open_screen(env, user, picking):
    screen_id = env["serial.picking.scan"].sudo(user)._open_for(picking.sudo(user))["res_id"]
    return env(user=user.id)["serial.picking.scan"].browse(screen_id)


def scanner(screen, product):
    def scan(name):
        screen.on_barcode_scanned(label(product, name))
        if screen.scan_status != "ok":
            raise SystemExit("scan of %s refused: %s" % (name, screen.scan_message))
    return scan


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--scan-all", action="store_true",
                        help="scan every line one by one instead of filling them in SQL")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    bench_harness.ensure_addon_db(DB, args.fresh)

    import odoo
    from odoo import SUPERUSER_ID, api
    odoo.tools.config.parse_config(["-c", CONF, "--log-level=critical"])
    registry = odoo.registry(DB)
    lines = args.lines
    size = lines + AFTER + EXTRA
    names = ["SN%06d" % n for n in range(1, lines + AFTER + 1)]
    early_names = ["EA%06d" % n for n in range(1, WARM + AFTER + 1)]
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        user = env["res.users"].with_context(no_reset_password=True).create({
            "name": "Bench stock user", "login": "bench_scan_%d" % time.time(),
            "email": "bench@example.com",
            "groups_id": [(6, 0, [env.ref("stock.group_stock_user").id])]})
        early_p, full_p, base_p = [env["product.product"].create({
            "name": "Bench scanner %s" % side, "type": "product", "tracking": "serial",
            "barcode": gtin(number)})
            for number, side in ((1, "early"), (3, "full"), (2, "baseline"))]
        early, full, base = [make_receipt(env, p, size) for p in (early_p, full_p, base_p)]
        scan_early = scanner(open_screen(env, user, early), early_p)
        scan_full = scanner(open_screen(env, user, full), full_p)

        log("ours: %d scans on receipt A; %d lines of receipt B filled %s" % (
            WARM, lines, "by scanning" if args.scan_all else "in SQL"))
        for name in early_names[:WARM]:
            scan_early(name)
        if args.scan_all:
            for number, name in enumerate(names[:lines], start=1):
                scan_full(name)
                if number % 1000 == 0:
                    log("  %d scans" % number)
        else:
            bulk_fill(env, full, full_p, names[:lines])
        log("ours: %d scans alternating on A (%d+ scanned) and B (%d+ scanned)" % (
            2 * AFTER, WARM, lines))
        at_early, at_full = [], []
        for early_name, full_name in zip(early_names[WARM:], names[lines:]):
            at_early.append(timed(env, lambda n=early_name: scan_early(n)))
            at_full.append(timed(env, lambda n=full_name: scan_full(n)))

        log("baseline: %d scans, %d lines filled in SQL, %d scans" % (
            BASELINE_SCANS, lines - BASELINE_SCANS, BASELINE_SCANS))
        naive = [timed(env, lambda n=n: naive_scan(env, base, base_p, n))
                 for n in names[:BASELINE_SCANS]]
        bulk_fill(env, base, base_p, names[BASELINE_SCANS:lines])
        naive_full = [timed(env, lambda n=n: naive_scan(env, base, base_p, n))
                      for n in names[lines:lines + BASELINE_SCANS]]
        bulk_fill(env, base, base_p, names[lines + BASELINE_SCANS:])

        # how a scan finds the next empty line of the full receipt
        cr.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT id FROM stock_move_line "
                   "WHERE move_id = %s AND lot_id IS NULL AND qty_done = 0 "
                   "ORDER BY lot_id, id LIMIT 1", (full.move_lines.id,))
        plan = [row[0].strip() for row in cr.fetchall()]
        full_answer, base_answer = answer(env, full), answer(env, base)
        same = full_answer == base_answer == [(name, 1) for name in sorted(names)] \
            and answer(env, early) == [(name, 1) for name in sorted(early_names)]
        cr.rollback()

    def median(samples, index):
        return statistics.median(sample[index] for sample in samples)

    result = {"ms10": median(at_early, 0), "q10": median(at_early, 1),
              "ms": median(at_full, 0), "q": median(at_full, 1),
              "base10": median(naive, 0), "base": median(naive_full, 0),
              "baseq": median(naive_full, 1)}
    print("ours     scan #%d-%d:      %7.1f ms %3d queries (receipt A, %d lines)" % (
        WARM + 1, WARM + AFTER, result["ms10"], result["q10"], size))
    print("ours     scan #%d-%d:  %7.1f ms %3d queries (receipt B, %d lines)" % (
        lines + 1, lines + AFTER, result["ms"], result["q"], size))
    print("baseline scan #1-%d:        %7.1f ms | scan #%d-%d: %7.1f ms %3d queries" % (
        BASELINE_SCANS, result["base10"], lines + 1, lines + BASELINE_SCANS, result["base"],
        result["baseq"]))
    shown = [line for line in plan if not line.startswith("Planning")]
    print("next empty line:", " / ".join(shown))
    print("same answer: %s (%d serials, each on one line of its receipt)"
          % (same, len(full_answer)))
    if not same:
        raise SystemExit("ours and the baseline disagree")
    print("RESULT scan_per_line lines=%d ms_per_scan=%.1f queries_per_scan=%d "
          "ms_scan_10=%.1f queries_scan_10=%d baseline_ms_per_scan=%.1f "
          "baseline_queries_per_scan=%d" % (
              lines, result["ms"], result["q"], result["ms10"], result["q10"],
              result["base"], result["baseq"]))


if __name__ == "__main__":
    main()

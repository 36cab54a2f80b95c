#!/usr/bin/env python
# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Saving 1,000 serial operation lines in one write, as the web client saves a
transfer's Detailed operations (issue 19, item 3).

    .venv/bin/python benchmarks/serial_transfers_lines.py [--lines 1000] [--small 100]
        [--fresh] [--db NAME] [--profile]

Database ``bench_serial_transfers_lines`` (serial_traceability without demo data;
built when missing or with ``--fresh``; ``--db`` uses another one with the addon).
In one transaction, rolled back at the end: a serial-tracked product and ``lines``
lots (the serial generation's bulk insert), a 10-line save on each path to warm the
caches (not timed), then for ``small`` and ``lines`` lines, on
each path in turn and each in a savepoint rolled back afterwards: a confirmed
delivery of that many units (no stock: nothing reserved), and, timed, one
``picking.write({'move_line_ids': [(0, 0, vals), ...]})`` by a stock user, one
command per serial with its lot, quantity done 1, move, locations and unit.

- ours: the addon's batched save (``stock_move_line_entry.py``);
- host: the same call with ``serial_traceability_host_path=True``: line by line, the
  host's ``create`` with the addon's per-line work in it, as before issue 19.

Both must leave the same rows, ids aside: every column of the new lines (the
picking's name in place of ``reference``), the lots' unit, warranty and quality
columns, the audit entries written by the save, the moves and the picking's state.
``--profile``: cProfile of the big save on each path, top entries by cumulative time.

Prints ``RESULT lines_save lines=100 ...`` then ``RESULT lines_save lines=1000
ours_s=... host_s=... vs_host=... same_end_state=yes per_line_ms=... per_line_ms_100=...``.
"""
import argparse
import cProfile
import io
import os
import pstats
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench_harness  # noqa: E402
from bench_harness import log  # noqa: E402

ROOT = os.path.dirname(HERE)
CONF = os.environ.get("ST_ODOO_CONF", os.path.join(ROOT, ".state", "odoo.conf"))
DB = "bench_serial_transfers_lines"
HOST = {"serial_traceability_host_path": True}
LINE_COLUMNS = ("product_id", "product_uom_id", "location_id", "location_dest_id", "lot_id",
                "lot_name", "qty_done", "product_uom_qty", "ordered_qty", "product_qty",
                "state", "package_id", "result_package_id", "owner_id",
                "reference = picking.name", "create_uid", "write_uid")
LOT_COLUMNS = ("unit_state", "customer_id", "ship_date", "delivery_picking_id",
               "current_location_id", "supplier_id", "warranty_start", "warranty_end",
               "quality_state", "quality_hold")


def delivery(env, product, units):
    """A confirmed delivery of ``units`` (nothing in stock: no line reserved)."""
    warehouse = env["stock.warehouse"].search([], limit=1)
    out_type = warehouse.out_type_id
    partner = env["res.partner"].create({"name": "Bench customer", "customer": True})
    picking = env["stock.picking"].create({
        "picking_type_id": out_type.id, "partner_id": partner.id,
        "location_id": warehouse.lot_stock_id.id,
        "location_dest_id": partner.property_stock_customer.id})
    env["stock.move"].create({
        "name": product.name, "picking_id": picking.id, "product_id": product.id,
        "product_uom": product.uom_id.id, "product_uom_qty": units,
        "location_id": picking.location_id.id,
        "location_dest_id": picking.location_dest_id.id})
    picking.action_confirm()
    assert not picking.move_line_ids, "the host reserved lines"
    return picking


def commands(picking, lots):
    move = picking.move_lines
    return [(0, 0, {
        "move_id": move.id, "picking_id": picking.id, "product_id": move.product_id.id,
        "product_uom_id": move.product_uom.id, "location_id": move.location_id.id,
        "location_dest_id": move.location_dest_id.id, "lot_id": lot_id, "qty_done": 1.0})
        for lot_id in lots.ids]


def end_state(cr, picking, product, since_entry):
    cr.execute("SELECT %s FROM stock_move_line JOIN stock_picking picking"
               " ON picking.id = picking_id WHERE picking_id = %%s ORDER BY stock_move_line.id"
               % ", ".join("stock_move_line.%s" % c if "=" not in c else c
                           for c in LINE_COLUMNS), (picking.id,))
    lines = cr.fetchall()
    cr.execute("SELECT name, %s FROM stock_production_lot WHERE product_id = %%s ORDER BY name"
               % ", ".join(LOT_COLUMNS), (product.id,))
    lots = cr.fetchall()
    cr.execute("SELECT res_model, action, field, old_value, new_value, user_id, company_id, "
               "reason FROM serial_audit_entry WHERE id > %s ORDER BY id", (since_entry,))
    entries = cr.fetchall()
    cr.execute("SELECT state, product_uom_qty, product_qty FROM stock_move "
               "WHERE picking_id = %s ORDER BY id", (picking.id,))
    moves = cr.fetchall()
    cr.execute("SELECT state FROM stock_picking WHERE id = %s", (picking.id,))
    return {"lines": lines, "lots": lots, "audit": entries, "moves": moves,
            "picking": cr.fetchone()[0]}


def profile_top(prof, count=18):
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("cumulative").print_stats(count)
    return out.getvalue()


def save(env, user, product, lots, context, profile):
    """One timed save on a new delivery in a savepoint; returns (seconds, end state)."""
    cr = env.cr
    cr.execute("SAVEPOINT bench_save")
    picking = delivery(env, product, len(lots))
    cr.execute("SELECT COALESCE(max(id), 0) FROM serial_audit_entry")
    since = cr.fetchone()[0]
    cmds = commands(picking, lots)
    env.cache.invalidate()
    target = picking.sudo(user).with_context(**context)
    prof = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if prof:
        prof.enable()
    target.write({"move_line_ids": cmds})
    if prof:
        prof.disable()
    seconds = time.perf_counter() - start
    env.cache.invalidate()
    state = end_state(cr, picking, product, since)
    cr.execute("ROLLBACK TO SAVEPOINT bench_save")
    env.cache.invalidate()
    if prof and os.environ.get("BENCH_PROFILE_DIR"):
        prof.dump_stats(os.path.join(os.environ["BENCH_PROFILE_DIR"], "lines_%d_%s.prof" % (
            len(lots), "host" if context else "ours")))
    if prof:
        print("--- cProfile, %d lines, %s path ---" % (len(lots), "host" if context else "ours"))
        print(profile_top(prof))
    return seconds, state


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--db", default=DB)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--ours-only", action="store_true",
                        help="time our path only (no comparison, no RESULT line)")
    args = parser.parse_args()
    bench_harness.ensure_addon_db(args.db, args.fresh)

    import odoo
    from odoo import SUPERUSER_ID, api
    odoo.tools.config.parse_config(["-c", CONF, "--log-level=critical"])
    registry = odoo.registry(args.db)
    results = []
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        user = env["res.users"].with_context(no_reset_password=True).create({
            "name": "Bench stock user", "login": "bench_lines_%d" % time.time(),
            "email": "bench@example.com",
            "groups_id": [(6, 0, [env.ref("stock.group_stock_user").id])]})
        product = env["product.product"].create({
            "name": "Bench entered serial", "type": "product", "tracking": "serial"})
        names = ["LE%06d" % n for n in range(1, args.lines + 1)]
        lots = env["stock.production.lot"]._serial_bulk_create(
            product, names, env.user.company_id)
        log("%d lots made; a 10-line save on each path to warm the caches" % len(lots))
        for context in ({}, HOST):
            save(env, user, product, lots[:10], context, False)
        for size in (args.small, args.lines):
            subset = lots[:size]
            log("%d lines: ours" % size)
            ours_s, ours_state = save(env, user, product, subset, {}, args.profile)
            log("%d lines: ours %.2f s; host path" % (size, ours_s))
            if args.ours_only:
                continue
            host_s, host_state = save(env, user, product, subset, HOST, args.profile)
            log("%d lines: host path %.2f s" % (size, host_s))
            same = ours_state == host_state and len(ours_state["lines"]) == size
            if not same:
                for key in ours_state:
                    if ours_state[key] != host_state[key]:
                        log("differs: %s" % key)
            results.append((size, ours_s, host_s, same))
        cr.rollback()

    if args.ours_only:
        return
    small = results[0]
    for size, ours_s, host_s, same in results:
        print("%5d lines: ours %7.2f s (%.2f ms/line)  host path %7.2f s (%.2f ms/line)  "
              "x%.1f  same end state: %s" % (size, ours_s, 1000 * ours_s / size, host_s,
                                             1000 * host_s / size, host_s / ours_s,
                                             "yes" if same else "NO"))
    if not all(r[3] for r in results):
        raise SystemExit("ours and the host path disagree")
    for size, ours_s, host_s, same in results:
        extra = (" per_line_ms_%d=%.2f" % (small[0], 1000 * small[1] / small[0])
                 if size != small[0] else "")
        print("RESULT lines_save lines=%d ours_s=%.2f host_s=%.2f vs_host=%.1f "
              "same_end_state=yes per_line_ms=%.2f%s" % (
                  size, ours_s, host_s, host_s / ours_s, 1000 * ours_s / size, extra))


if __name__ == "__main__":
    main()

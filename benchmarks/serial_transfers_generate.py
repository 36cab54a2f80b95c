#!/usr/bin/env python
# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Numbering a 10,000-unit receipt with "Generate serials" (issue 19, item 4).

    .venv/bin/python benchmarks/serial_transfers_generate.py [--units 10000]
        [--db NAME] [--fresh] [--profile] [--ours-only]

Database ``bench_serial_transfers_generate`` (serial_traceability without demo
data; built when missing or with ``--fresh``; ``--db`` uses another one with the
addon). In one transaction, rolled back at the end: a serial-tracked product that
requires release and has a warranty, then on each path in turn, each in a savepoint
rolled back afterwards: a confirmed receipt of ``units`` units (the host makes one
operation line per unit; not timed), then, timed, the wizard's ``action_generate``
(no labels) as the superuser.

- ours: the new lots' stored computed fields (release, quality state, warranty) written
  with their rows, their known values for a lot with no move and no event
  (``stock.production.lot._serial_new_lot_values``);
- orm: the same call with ``serial_traceability_host_path=True``: every stored computed
  field of the new lots computed by the ORM's recompute, as before.

End-state check (ours): the stored columns of the new lots as written, then every
stored computed field of theirs invalidated and recomputed by the ORM and read again
from the table: they must be equal. ``--profile``: cProfile of each generation, top
entries by cumulative time.

Prints ``RESULT receipt_generate units=10000 ours_s=... orm_s=... vs_orm=...x
same_end_state=yes per_unit_ms=...``.
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
HTTP_PORT = os.environ.get("ST_BENCH_HTTP_PORT", "18112")
DB = "bench_serial_transfers_generate"
HOST = {"serial_traceability_host_path": True}


def make_receipt(env, product, units):
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.user.company_id.id)],
                                              limit=1)
    in_type = warehouse.in_type_id
    partner = env["res.partner"].create({"name": "Bench supplier", "supplier": True})
    picking = env["stock.picking"].create({
        "picking_type_id": in_type.id, "partner_id": partner.id,
        "location_id": partner.property_stock_supplier.id,
        "location_dest_id": in_type.default_location_dest_id.id})
    env["stock.move"].create({
        "name": product.name, "picking_id": picking.id, "product_id": product.id,
        "product_uom": product.uom_id.id, "product_uom_qty": units,
        "picking_type_id": in_type.id, "location_id": picking.location_id.id,
        "location_dest_id": picking.location_dest_id.id})
    picking.action_confirm()
    return picking


def stored_computed(env):
    Lot = env["stock.production.lot"]
    return sorted(name for name, field in Lot._fields.items()
                  if field.store and field.compute and field.column_type)


def read_columns(env, lot_ids, names):
    env.cr.execute('SELECT id, %s FROM stock_production_lot WHERE id = ANY(%%s) ORDER BY id'
                   % ", ".join('"%s"' % n for n in names), (list(lot_ids),))
    return env.cr.fetchall()


def end_state_check(env, lots):
    """The columns as written, against the ORM's recompute of every stored computed field."""
    names = stored_computed(env)
    before = read_columns(env, lots.ids, names)
    lots.invalidate_cache()
    Lot = env["stock.production.lot"]
    for name in names:
        env.add_todo(Lot._fields[name], lots)
    lots.recompute()
    env.cache.invalidate()
    after = read_columns(env, lots.ids, names)
    return before == after, names, before[:1]


def generate(env, product, units, way, profile):
    picking = make_receipt(env, product, units)
    env.cache.invalidate()
    wizard = env["serial.generate.wizard"].with_context(
        default_picking_id=picking.id, **(HOST if way == "orm" else {})).create(
            {"print_labels": False})
    profiler = cProfile.Profile() if profile else None
    start = time.time()
    if profiler:
        profiler.enable()
    wizard.action_generate()
    if profiler:
        profiler.disable()
    elapsed = time.time() - start
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
        print("---- profile %s (%d units) ----\n%s" % (way, units, out.getvalue()))
    lots = picking.move_line_ids.mapped("lot_id")
    if len(lots) != units:
        raise RuntimeError("%s: %d lots for %d units" % (way, len(lots), units))
    return elapsed, lots


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=10000)
    parser.add_argument("--db", default=DB)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--ours-only", action="store_true")
    args = parser.parse_args()
    bench_harness.ensure_addon_db(args.db, args.fresh)
    import odoo
    from odoo import SUPERUSER_ID, api
    odoo.tools.config.parse_config(["-c", CONF, "--log-level=warn",
                                    "--http-port=%s" % HTTP_PORT])
    registry = odoo.registry(args.db)
    results = {}
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            tag = "G%s" % time.strftime("%H%M%S")
            product = env["product.product"].create({
                "name": "Bench unit %s" % tag, "type": "product", "tracking": "serial",
                "default_code": tag, "serial_pattern": "{prod}-{seq:6}",
                "serial_requires_release": True, "warranty_months": 24})
            ways = ["ours"] if args.ours_only else ["ours", "orm"]
            for way in ways:
                cr.execute("SAVEPOINT bench_generate")
                elapsed, lots = generate(env, product, args.units, way, args.profile)
                same, names, sample = end_state_check(env, lots)
                log("%s: %d units numbered in %.2f s; stored computed fields %s: "
                    "recompute %s; first lot %r" % (
                        way, args.units, elapsed, ", ".join(names),
                        "equal" if same else "DIFFERENT", sample))
                results[way] = (elapsed, same)
                cr.execute("ROLLBACK TO SAVEPOINT bench_generate")
                env.cache.invalidate()
        finally:
            cr.rollback()
    ours_s, ours_same = results["ours"]
    same = "yes" if all(r[1] for r in results.values()) else "no"
    if "orm" in results:
        orm_s = results["orm"][0]
        print("RESULT receipt_generate units=%d ours_s=%.2f orm_s=%.2f vs_orm=%.1fx "
              "same_end_state=%s per_unit_ms=%.2f" % (
                  args.units, ours_s, orm_s, orm_s / ours_s, same,
                  1000.0 * ours_s / args.units))
    else:
        print("RESULT receipt_generate units=%d ours_s=%.2f same_end_state=%s "
              "per_unit_ms=%.2f" % (args.units, ours_s, same, 1000.0 * ours_s / args.units))
    if same != "yes":
        sys.exit(1)


if __name__ == "__main__":
    main()

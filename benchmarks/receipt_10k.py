#!/usr/bin/env python
# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A 10,000-unit receipt of a serial-tracked product, numbered and validated two ways.

    .venv/bin/python benchmarks/receipt_10k.py [--db bench_receipt_10k] [--units 10000]

* ours: "Generate serials" (wizard ``serial.generate.wizard``: numbers from the
  product's pattern, lots inserted in bulk, the operation lines filled by one UPDATE),
  then the host's Validate.
* host: what a user does in the host's screen: type (or scan) a serial into each of
  the 10,000 operation lines the host made when the receipt was confirmed (one ORM
  write per line, sent as the form's one-line commands), then Validate, which creates
  one lot per line through the ORM.

Both run on the same database, product and kind of receipt, each in its own
transaction that is rolled back (the database stays as it was). Confirming the
receipts (the host creating the 10,000 operation lines) is the same for both and is
reported apart. Both must end the same: the receipt done, one new lot per unit with
one unit in stock each, every line done with its lot.

The database is made (without demo data) when missing. Last line:
``RESULT receipt_10k ours_s=... host_s=... vs_host=...x peak_rss_mb=...``
(peak_rss_mb: the process's peak resident memory after our run, set-up included).
"""
import argparse
import os
import resource
import subprocess
import sys
import time

import psycopg2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONF = os.environ.get("ST_ODOO_CONF", os.path.join(ROOT, ".state", "odoo.conf"))
HTTP_PORT = os.environ.get("ST_BENCH_HTTP_PORT", "18116")


def log(message):
    print("[receipt_10k] %s" % message, flush=True)


def conf_value(key, default=None):
    import configparser
    cfg = configparser.ConfigParser()
    cfg.read(CONF)
    return cfg.get("options", key, fallback=default)


def pg_connect(db):
    return psycopg2.connect(dbname=db, host=conf_value("db_host"), port=conf_value("db_port"),
                            user=conf_value("db_user"))


def module_installed(db):
    try:
        conn = pg_connect(db)
    except psycopg2.OperationalError:
        return False
    try:
        cur = conn.cursor()
        cur.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'ir_module_module'")
        if not cur.fetchone():
            return False
        cur.execute("SELECT state FROM ir_module_module WHERE name = 'serial_traceability'")
        row = cur.fetchone()
        return bool(row and row[0] == "installed")
    finally:
        conn.close()


def ensure_db(db):
    if module_installed(db):
        return
    log("installing serial_traceability (no demo) in %s" % db)
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "odoo"), "-c", CONF, "-d", db,
                    "-i", "serial_traceability", "--without-demo=all", "--stop-after-init",
                    "--log-level=warn", "--http-port=%s" % HTTP_PORT, "--max-cron-threads=0"],
                   check=True, stdout=subprocess.DEVNULL, cwd=ROOT)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def make_receipt(env, product, units):
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.user.company_id.id)],
                                              limit=1)
    in_type = warehouse.in_type_id
    partner = env["res.partner"].create({"name": "Bench supplier", "supplier": True})
    picking = env["stock.picking"].create({
        "picking_type_id": in_type.id, "partner_id": partner.id,
        "location_id": partner.property_stock_supplier.id,
        "location_dest_id": in_type.default_location_dest_id.id,
    })
    env["stock.move"].create({
        "name": product.name, "picking_id": picking.id, "product_id": product.id,
        "product_uom": product.uom_id.id, "product_uom_qty": units,
        "picking_type_id": in_type.id, "location_id": picking.location_id.id,
        "location_dest_id": picking.location_dest_id.id,
    })
    start = time.time()
    picking.action_confirm()
    return picking, time.time() - start


def outcome(env, picking):
    """What the receipt left behind, in a form both ways must share."""
    env.cache.invalidate()
    lines = picking.move_line_ids
    lots = lines.mapped("lot_id")
    env.cr.execute("""
        SELECT count(*), count(DISTINCT q.lot_id), min(q.quantity), max(q.quantity)
          FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
         WHERE l.usage = 'internal' AND q.lot_id = ANY(%s)""", (lots.ids,))
    quants = env.cr.fetchone()
    return {
        "state": picking.state,
        "lines": len(lines),
        "lines_done_with_lot": len(lines.filtered(lambda ml: ml.lot_id and ml.qty_done == 1)),
        "distinct_lots": len(lots),
        "distinct_names": len(set(lots.mapped("name"))),
        "quants": quants,
    }


def run(registry, units, way):
    from odoo import SUPERUSER_ID, api
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            tag = "%s%s" % (way[0].upper(), time.strftime("%H%M%S"))
            product = env["product.product"].create({
                "name": "Bench unit %s" % tag, "type": "product", "tracking": "serial",
                "default_code": tag, "serial_pattern": "{prod}-{seq:6}"})
            picking, confirm_s = make_receipt(env, product, units)
            log("%s: receipt of %d units confirmed in %.1f s (%d operation lines)"
                % (way, units, confirm_s, len(picking.move_line_ids)))
            env.cache.invalidate()
            start = time.time()
            if way == "ours":
                wizard = env["serial.generate.wizard"].with_context(
                    default_picking_id=picking.id).create({"print_labels": False})
                wizard.action_generate()
            else:
                lines = picking.move_line_ids.sorted("id")
                picking.write({"move_line_ids": [
                    (1, ml.id, {"lot_name": "%s-%06d" % (tag, i + 1), "qty_done": 1})
                    for i, ml in enumerate(lines)]})
            numbered_s = time.time() - start
            env.cache.invalidate()
            result = picking.button_validate()
            total_s = time.time() - start
            if isinstance(result, dict):
                raise RuntimeError("%s: validation asked for more: %r" % (way, result))
            log("%s: numbered in %.1f s, validated in %.1f s" % (
                way, numbered_s, total_s - numbered_s))
            return total_s, numbered_s, outcome(env, picking)
        finally:
            cr.rollback()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="bench_receipt_10k")
    parser.add_argument("--units", type=int, default=10000)
    parser.add_argument("--ours-only", action="store_true",
                        help="time our way alone (no RESULT line): the host's way of "
                             "10,000 units takes tens of minutes")
    args = parser.parse_args()
    ensure_db(args.db)
    import odoo
    odoo.tools.config.parse_config(["-c", CONF, "--log-level=warn",
                                    "--http-port=%s" % HTTP_PORT])
    registry = odoo.registry(args.db)
    ours_s, ours_numbered_s, ours = run(registry, args.units, "ours")
    ours_rss = peak_rss_mb()
    if args.ours_only:
        log("ours: %r; %.2f s (numbering %.2f s), peak_rss_mb=%.0f"
            % (ours, ours_s, ours_numbered_s, ours_rss))
        return
    host_s, host_numbered_s, host = run(registry, args.units, "host")
    log("ours: %r" % (ours,))
    log("host: %r" % (host,))
    expected = {"state": "done", "lines": args.units, "lines_done_with_lot": args.units,
                "distinct_lots": args.units, "distinct_names": args.units,
                "quants": (args.units, args.units, 1.0, 1.0)}
    if ours != host or ours != expected:
        log("MISMATCH: expected %r" % (expected,))
        sys.exit(1)
    # the host's numbering only stores the typed text: its lots are made at validation
    print("receipt_10k numbering only: ours=%.2fs host=%.2fs (%.1fx); host peak_rss_mb=%.0f"
          % (ours_numbered_s, host_numbered_s, host_numbered_s / ours_numbered_s,
             peak_rss_mb()))
    print("RESULT receipt_10k ours_s=%.2f host_s=%.2f vs_host=%.1fx peak_rss_mb=%.0f"
          % (ours_s, host_s, host_s / ours_s, ours_rss))


if __name__ == "__main__":
    main()

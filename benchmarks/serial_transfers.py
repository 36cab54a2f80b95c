#!/usr/bin/env python
# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Validating and reserving serial-heavy transfers (issue 19, items 1-2).

    .venv/bin/python benchmarks/serial_transfers.py [--lines 1000] [--small 100]
        [--receipt-lines 5000] [--flows delivery_validate,...,lines_save,receipt_generate]
        [--host-limit 900] [--fresh] [--db NAME] [--profile] [--ours-only]

Database ``bench_serial_transfers`` (serial_traceability without demo data; built
when missing or with ``--fresh``). In one transaction, rolled back at the end: a
serial-tracked stockable product and its lots (the serial generation's bulk insert),
one quant per lot in WH/Stock (the host's ``_update_available_quantity``). Then for
each flow and size, on each path in turn, each in a savepoint rolled back afterwards:

- delivery_reserve: a confirmed delivery of that many units; timed: the stock
  user's *Check availability* (``action_assign``);
- delivery_validate: the same delivery reserved and its quantities done set (not
  timed); timed: *Validate* (``button_validate``);
- receipt_validate: a receipt of that many units with one typed serial (``lot_name``)
  per line, quantity done 1 (not timed); timed: *Validate*, which makes the lots.

Paths: ours (the addon as installed), and the host's (``serial_traceability_host_path
=True``: the host's per-line ``_action_done`` / ``_action_assign`` with the addon's
per-line work in it). Both must leave the same rows, ids and the run's timestamps
aside: quants, move lines, moves, pickings (backorders included), lots and their
columns, genealogy links, audit entries.

``--host-limit`` stops the host's path after that many seconds (its time is then
printed as ``host_s=>N``, and the end states are not compared). Then the companion
scripts ``serial_transfers_lines.py`` (``RESULT lines_save``) and
``serial_transfers_generate.py`` (``RESULT receipt_generate units=10000``), their
RESULT lines relayed.

Prints ``RESULT <flow> lines=N ours_s=... host_s=... vs_host=... same_end_state=yes
per_line_ms=... host_per_line_ms=... per_line_ms_<small>=...``.
"""
import argparse
import cProfile
import io
import os
import pstats
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench_harness  # noqa: E402
from bench_harness import log  # noqa: E402

ROOT = os.path.dirname(HERE)
# the end-state reader of the differential tests, loaded from its file
end_state = bench_harness._load(
    os.path.join(ROOT, "serial_traceability", "tests", "transfer_state.py"), "transfer_state")
CONF = os.environ.get("ST_ODOO_CONF", os.path.join(ROOT, ".state", "odoo.conf"))
DB = "bench_serial_transfers"
HOST = {"serial_traceability_host_path": True}
FLOWS = ("delivery_validate", "delivery_reserve", "receipt_validate")
EXTRA = ("lines_save", "receipt_generate")  # companion scripts, RESULT lines relayed


def make_picking(env, product, units, kind):
    warehouse = env["stock.warehouse"].search([], limit=1)
    ptype = warehouse.out_type_id if kind == "out" else warehouse.in_type_id
    partner = env["res.partner"].create({"name": "Bench partner", "customer": True,
                                         "supplier": True})
    if kind == "out":
        source, dest = warehouse.lot_stock_id, partner.property_stock_customer
    else:
        source, dest = partner.property_stock_supplier, warehouse.lot_stock_id
    picking = env["stock.picking"].create({
        "picking_type_id": ptype.id, "partner_id": partner.id,
        "location_id": source.id, "location_dest_id": dest.id})
    env["stock.move"].create({
        "name": product.name, "picking_id": picking.id, "product_id": product.id,
        "product_uom": product.uom_id.id, "product_uom_qty": units,
        "picking_type_id": ptype.id, "location_id": source.id,
        "location_dest_id": dest.id})
    picking.action_confirm()
    return picking


def prepare(env, flow, product, size, tag):
    """The flow's transfer, ready for the timed step (which returns the callable)."""
    if flow == "receipt_validate":
        picking = make_picking(env, product, size, "in")
        move = picking.move_lines
        picking.write({"move_line_ids": [(0, 0, {
            "move_id": move.id, "product_id": product.id,
            "product_uom_id": product.uom_id.id, "location_id": move.location_id.id,
            "location_dest_id": move.location_dest_id.id,
            "lot_name": "RV%s%06d" % (tag, n), "qty_done": 1.0})
            for n in range(1, size + 1)]})
        return picking, lambda p: p.button_validate()
    picking = make_picking(env, product, size, "out")
    if flow == "delivery_reserve":
        return picking, lambda p: p.action_assign()
    picking.action_assign()
    for line in picking.move_line_ids:
        line.qty_done = line.product_uom_qty
    return picking, lambda p: p.button_validate()


class HostTooSlow(Exception):
    """The host's path ran past ``--host-limit``."""


def _alarm(_signum, _frame):
    raise HostTooSlow()


def profile_top(prof, count=25):
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(count)
    return out.getvalue()


def run(env, user, flow, product, size, context, profile, limit=0):
    """One timed step in a savepoint rolled back after; (seconds, end state), the
    state None when the step ran past ``limit`` seconds (then stopped)."""
    cr = env.cr
    cr.execute("SAVEPOINT bench_flow")
    before = end_state.marks(cr)
    picking, step = prepare(env, flow, product, size, "")
    env.cache.invalidate()
    target = picking.sudo(user).with_context(**context)
    prof = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if prof:
        prof.enable()
    if limit:
        signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(limit)
    try:
        step(target)
        state = None
    except HostTooSlow:
        state = "stopped"
    finally:
        signal.alarm(0)
    if prof:
        prof.disable()
    seconds = time.perf_counter() - start
    env.cache.invalidate()
    if state is None:
        state = end_state.read(cr, product, picking, before)
    else:
        state = None
    cr.execute("ROLLBACK TO SAVEPOINT bench_flow")
    env.cache.invalidate()
    if prof:
        print("--- cProfile, %s %d lines, %s path ---" % (
            flow, size, "host" if context else "ours"))
        print(profile_top(prof))
    return seconds, state


def setup(env, lines):
    user = env["res.users"].with_context(no_reset_password=True).create({
        "name": "Bench stock user", "login": "bench_transfers_%d" % time.time(),
        "email": "bench@example.com",
        "groups_id": [(6, 0, [env.ref("stock.group_stock_user").id])]})
    product = env["product.product"].create({
        "name": "Bench shipped serial", "type": "product", "tracking": "serial"})
    lots = env["stock.production.lot"]._serial_bulk_create(
        product, ["ST%06d" % n for n in range(1, lines + 1)], env.user.company_id)
    stock = env["stock.warehouse"].search([], limit=1).lot_stock_id
    Quant = env["stock.quant"]
    for lot in lots:
        Quant._update_available_quantity(product, stock, 1.0, lot_id=lot)
    env.cache.invalidate()
    return user, product


def other_script(name, extra):
    """A companion benchmark (its RESULT lines): the lines save and the numbering."""
    proc = subprocess.run([sys.executable, os.path.join(HERE, name)] + extra,
                          stdout=subprocess.PIPE, universal_newlines=True, cwd=ROOT)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT")]
    if proc.returncode or not lines:
        raise SystemExit("%s failed (exit %d)" % (name, proc.returncode))
    return lines


def measure(env, user, product, args):
    """[(flow, size, [(seconds, state) ours, host], same)] of the flows asked."""
    results = []
    for flow in [f for f in args.flows.split(",") if f in FLOWS]:
        sizes = [args.small, args.lines]
        if flow == "receipt_validate":
            sizes.append(args.receipt_lines)
        for size in sorted(set(s for s in sizes if s)):
            timed = []
            for context in [{}] if args.ours_only else [{}, HOST]:
                name = "host" if context else "ours"
                log("%s %d lines: %s path" % (flow, size, name))
                seconds, state = run(env, user, flow, product, size, context, args.profile,
                                     limit=args.host_limit if context else 0)
                log("%s %d lines: %s %.2f s%s" % (flow, size, name, seconds,
                                                  "" if state else " (stopped)"))
                timed.append((seconds, state))
            same = (len(timed) == 2 and timed[1][1] is not None
                    and end_state.same(timed[0][1], timed[1][1], log))
            results.append((flow, size, timed, same))
    return results


def report(results, small):
    """The RESULT lines; False when a path disagreed with the other."""
    ok = True
    per_line = {(flow, size): timed[0][0] / size for flow, size, timed, _same in results}
    for flow, size, timed, same in results:
        ours_s = timed[0][0]
        extra = ""
        if size != small and (flow, small) in per_line:
            extra = " per_line_ms_%d=%.2f" % (small, 1000 * per_line[(flow, small)])
        if len(timed) == 1:
            print("RESULT %s lines=%d ours_s=%.2f host_s=not_run per_line_ms=%.2f%s" % (
                flow, size, ours_s, 1000 * ours_s / size, extra))
            continue
        host_s, host_state = timed[1]
        if host_state is None:
            print("RESULT %s lines=%d ours_s=%.2f host_s=>%.0f vs_host=>%.1f "
                  "same_end_state=host_stopped per_line_ms=%.2f%s" % (
                      flow, size, ours_s, host_s, host_s / ours_s, 1000 * ours_s / size,
                      extra))
            continue
        ok = ok and same
        print("RESULT %s lines=%d ours_s=%.2f host_s=%.2f vs_host=%.1f same_end_state=%s "
              "per_line_ms=%.2f host_per_line_ms=%.2f%s" % (
                  flow, size, ours_s, host_s, host_s / ours_s, "yes" if same else "no",
                  1000 * ours_s / size, 1000 * host_s / size, extra))
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--receipt-lines", type=int, default=5000)
    parser.add_argument("--flows", default=",".join(FLOWS + EXTRA))
    parser.add_argument("--host-limit", type=int, default=900,
                        help="stop the host's path after this many seconds (0: never)")
    parser.add_argument("--db", default=DB)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--ours-only", action="store_true")
    args = parser.parse_args()
    bench_harness.ensure_addon_db(args.db, args.fresh)

    import odoo
    from odoo import SUPERUSER_ID, api
    odoo.tools.config.parse_config(["-c", CONF, "--log-level=critical"])
    registry = odoo.registry(args.db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        user, product = setup(env, max(args.lines, args.small))
        log("%d serials in stock" % max(args.lines, args.small))
        results = measure(env, user, product, args)
        cr.rollback()
    ok = report(results, args.small)
    flows = args.flows.split(",")
    if "lines_save" in flows:
        log("lines_save: benchmarks/serial_transfers_lines.py")
        for line in other_script("serial_transfers_lines.py", [
                "--lines", str(args.lines), "--small", str(args.small)]):
            print(line)
    if "receipt_generate" in flows:
        log("receipt_generate: benchmarks/serial_transfers_generate.py")
        for line in other_script("serial_transfers_generate.py", ["--units", "10000"]):
            print(line)
    if not ok:
        raise SystemExit("ours and the host path disagree")


if __name__ == "__main__":
    main()

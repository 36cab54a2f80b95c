#!/usr/bin/env python
# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The genealogy picture of a widely used component lot: grouped, as the lot form's
button draws it, against the same picture drawn unit by unit.

    .venv/bin/python benchmarks/genealogy_picture.py [--scale tiny|quick|full] [--keep-db]

Builds database ``bench_genealogy_picture_<scale>`` (serial_traceability without
demo) with the genealogy benchmark's generator (``genealogy_data.py``: host-shaped
rows, capacitor lots into PCBs into modules into pumps, most pumps delivered to 300
customers). The capacitor lot reaches 1/8 of the finished units: 2,500 at quick
scale, 25,000 at full. In a fresh Odoo process, median of ``--repeat`` warm runs:

- ours: ``stock.production.lot._genealogy_svg()``: both traces, every reached
  unit's status, grouping and Graphviz's ``dot`` drawing the SVG; ``trace_s`` is
  the forward trace alone (``get_trace``), its data;
- baseline: the same picture with grouping off (one node per unit and customer),
  drawn once by ``dot`` and stopped at ``--ungrouped-limit`` seconds.

Same answer: the units the grouped picture counts (per side, level and product) and
its customers are those of the traces, counted independently from their rows.
"""
import argparse
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
os.environ.setdefault("ST_BENCH_HTTP_PORT", "18106")
META_KEY = "serial_traceability.bench_genealogy_picture_meta"

sys.path.insert(0, HERE)
import genealogy as gen_bench  # noqa: E402
log = gen_bench.log


def worker_generate(db, scale):
    import genealogy_data as gd

    def describe(gen, _env):
        lot = gen.target_lot()
        return {"lot_id": lot.id, "lot_name": lot.name,
                "unit_product_id": gen.products["pump"].id}
    return gen_bench.generate(db, "P", dict(gd.SCALES[scale]), META_KEY, describe)


def _expected(lot, unit_product_id):
    """What the picture must show, from the trace rows themselves."""
    reached, partners = {}, set()
    for direction in ("backward", "forward"):
        for row in lot.get_trace(direction):
            level = reached.get(row["lot_id"], (None, row["depth"]))[1]
            reached[row["lot_id"]] = (direction, min(level, row["depth"]), row["product_id"])
            if direction == "forward" and row["location_usage"] == "customer":
                partners.add(row["partner_id"])
    groups = {}
    for side, level, product_id in reached.values():
        groups[(side, level, product_id)] = groups.get((side, level, product_id), 0) + 1
    finished = sum(n for (_s, _l, p), n in groups.items() if p == unit_product_id)
    return {"groups": sorted([list(k) + [n] for k, n in groups.items()]),
            "customers": len(partners), "finished_units": finished}


def _drawn(picture):
    """The same counts, read from the picture."""
    groups = {}
    for unit_id, key in picture.place.items():
        if unit_id != picture.root:
            groups[key + (picture.units[unit_id].product_id,)] = groups.get(
                key + (picture.units[unit_id].product_id,), 0) + 1
    return {"groups": sorted([list(k) + [n] for k, n in groups.items()]),
            "customers": len(picture.customers)}


def worker_ours(db, lot_id, unit_product_id, repeat, ungrouped_limit):
    odoo, registry = gen_bench._odoo(db)
    from odoo.addons.serial_traceability.lib import genealogy_dot
    out = {}
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        lot = env["stock.production.lot"].browse(lot_id)
        lot.exists()
        svg, picture = lot._genealogy_svg()  # warm
        times, trace_times = [], []
        for _run in range(repeat):
            t = time.perf_counter()
            svg, picture = lot._genealogy_svg()
            times.append(time.perf_counter() - t)
            t = time.perf_counter()
            lot.get_trace("forward")
            trace_times.append(time.perf_counter() - t)
        expected = _expected(lot, unit_product_id)
        out.update(times=times, trace_times=trace_times, svg_bytes=len(svg),
                   grouped=picture.grouped, nodes=len(picture.nodes()),
                   edges=len(picture.edges()), expected=expected, drawn=_drawn(picture))
        # the baseline: the same picture, one node per unit and customer
        t = time.perf_counter()
        flat = lot._genealogy_picture(group_above=10 ** 9)
        dot_text = flat.dot()
        try:
            genealogy_dot.render_svg(dot_text, timeout=ungrouped_limit)
            out["ungrouped_s"], out["ungrouped_done"] = time.perf_counter() - t, True
        except genealogy_dot.PictureError:
            out["ungrouped_s"], out["ungrouped_done"] = time.perf_counter() - t, False
        out["ungrouped_nodes"] = len(flat.nodes())
        cr.rollback()
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("tiny", "quick", "full"), default="quick")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse-db", action="store_true",
                        help="time an existing bench_genealogy_picture_<scale> again")
    parser.add_argument("--no-update", action="store_true",
                        help="with --reuse-db: do not update the addon in it first")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (median)")
    parser.add_argument("--ungrouped-limit", type=float, default=60,
                        help="seconds given to dot for the unit-by-unit picture")
    args = parser.parse_args()
    db = "bench_genealogy_picture_%s" % args.scale
    log("machine: %s; database %s" % (gen_bench.machine(), db))
    meta = gen_bench.prepare_db(db, __file__, META_KEY, args.reuse_db, not args.no_update,
                                scale=args.scale)
    log("data: %d finished units, %d move lines; lot %s" % (
        meta["units"], meta["counts"].get("stock_move_line", 0), meta["lot_name"]))
    ours = gen_bench.run_worker("ours", __file__, db=db, lot_id=meta["lot_id"],
                                unit_product_id=meta["unit_product_id"],
                                repeat=args.repeat, ungrouped_limit=args.ungrouped_limit)
    expected, drawn = ours["expected"], ours["drawn"]
    same = expected["groups"] == drawn["groups"] and \
        expected["customers"] == drawn["customers"]
    if not same:
        log("DIFFERENT ANSWERS:\n expected %s\n drawn    %s" % (expected, drawn))
    ours_s = statistics.median(ours["times"])
    log("picture: %d nodes, %d edges, %d bytes of SVG; runs %s s" % (
        ours["nodes"], ours["edges"], ours["svg_bytes"],
        " ".join("%.3f" % x for x in ours["times"])))
    log("unit by unit: %d nodes, dot %s after %.1f s" % (
        ours["ungrouped_nodes"], "done" if ours["ungrouped_done"] else "stopped",
        ours["ungrouped_s"]))
    print("RESULT genealogy_picture units=%d lots=%d customers=%d ours_s=%.3f trace_s=%.3f "
          "nodes=%d grouped=%s ungrouped_s=%s%.1f vs_ungrouped=%s%.0fx same_answer=%s" % (
              expected["finished_units"], sum(g[-1] for g in expected["groups"]),
              expected["customers"], ours_s, statistics.median(ours["trace_times"]),
              ours["nodes"], "yes" if ours["grouped"] else "no",
              "" if ours["ungrouped_done"] else ">", ours["ungrouped_s"],
              "" if ours["ungrouped_done"] else ">", ours["ungrouped_s"] / ours_s,
              "yes" if same else "no"))
    sys.stdout.flush()
    if not (args.keep_db or args.reuse_db):
        gen_bench.drop_db(db)
    return 0 if same else 1


if __name__ == "__main__":
    gen_bench.script_main(main, {"generate": worker_generate, "ours": worker_ours})

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The genealogy benchmark's bulk rows have the shape the host writes.

A few units are built through the host's real flows and the same pattern is
generated in bulk (``benchmarks/genealogy_data.py``, tiny scale) into the same
test transaction; then, table by table, the host columns that are set and the
relations between rows must agree, our engine must give the same shaped answer
for both, and the host's own traceability report must read the generated rows
to the same answer as our engine.
"""
import importlib.util
import os
import sys

from odoo.addons.serial_traceability.tests.common import TraceabilityCase

BENCHMARKS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _load(name):
    if BENCHMARKS not in sys.path:  # the generator imports its parts beside it
        sys.path.insert(0, BENCHMARKS)
    spec = importlib.util.spec_from_file_location(
        "serial_bench_" + name, os.path.join(BENCHMARKS, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestBenchmarkShape(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestBenchmarkShape, cls).setUpClass()
        data, gc = _load("genealogy_data"), _load("genealogy_checks")
        cls.gc = gc
        cr = cls.env.cr
        scale = dict(data.SCALES["tiny"])
        cls.gen = data.GenealogyData(cr, prefix="TBS", **scale)
        cls.gen.setup(scale["units"])
        before = gc.max_ids(cr)
        cls._real_units()
        middle = gc.max_ids(cr)
        cls.gen.generate(scale["units"], scale["batch_units"]).finish()
        after = gc.max_ids(cr)
        cls.real_shapes = gc.row_shapes(cr, before, middle)
        cls.generated_shapes = gc.row_shapes(cr, middle, after)

    @classmethod
    def _real_units(cls):
        """Four pumps the way a user makes them, with the generator's products: two
        capacitor lots, multi-serial MOs on each level, a delivery of three pumps,
        two of them returned and one of those re-shipped elsewhere."""
        flow, p = cls.flow, cls.gen.products
        flow._receive(cls.supplier, [(p["cap"], 20, "R-C1"), (p["cap"], 20, "R-C2"),
                                     (p["bat"], 10, "R-B1"), (p["hsg"], 10, None)]
                      + [(p["mcu"], 1, "R-M%d" % n) for n in range(1, 5)])
        mo = flow._start_production(p["pcb"], 4, cls.gen.boms["pcb"])
        for n in range(1, 5):
            flow._produce(mo, 1, "R-P%d" % n, [(p["cap"], 2, "R-C%d" % ((n + 1) // 2)),
                                               (p["mcu"], 1, "R-M%d" % n)])
        flow._finish(mo)
        for level, comps in (("mod", lambda n: [(p["pcb"], 1, "R-P%d" % n),
                                                (p["bat"], 1, "R-B1")]),
                             ("pump", lambda n: [(p["mod"], 1, "R-D%d" % n)])):
            mo = flow._start_production(p[level], 4, cls.gen.boms[level])
            for n in range(1, 5):
                flow._produce(mo, 1, "R-%s%d" % ("D" if level == "mod" else "U", n), comps(n))
            flow._finish(mo)
        pumps = [flow._lot(p["pump"], "R-U%d" % n) for n in range(1, 5)]
        out = flow._deliver(cls.customer_a, [(p["pump"], 1, u) for u in pumps[:3]])
        flow._return(out, [(p["pump"], 1, u) for u in pumps[:2]])
        flow._deliver(cls.customer_b, [(p["pump"], 1, pumps[0])])
        cls.real_cap = flow._lot(p["cap"], "R-C1")
        cls.real_pump = pumps[0]

    def _depth_products(self, lot, direction):
        return sorted((r["depth"], r["product_id"]) for r in lot.get_trace(direction))

    def test_rows_have_the_hosts_shape(self):
        self.maxDiff = None
        self.assertIn(("stock_move_line", "consumed/lot"), self.generated_shapes)
        self.assertEqual(self.gc.compare_shapes(self.real_shapes, self.generated_shapes), [])

    def test_genealogy_has_the_same_shape(self):
        gen_cap, pump = self.gen.target_lot(), self.gen.products["pump"]
        real_fw = self._depth_products(self.real_cap, "forward")
        self.assertTrue(real_fw)
        self.assertEqual(set(real_fw), set(self._depth_products(gen_cap, "forward")))
        gen_pump = self.env["stock.production.lot"].browse([
            r["lot_id"] for r in gen_cap.get_trace("forward") if r["product_id"] == pump.id][0])
        self.assertEqual(self._depth_products(self.real_pump, "backward"),
                         self._depth_products(gen_pump, "backward"))

        def unit_states(lot):
            return {(r["location_usage"], bool(r["partner_id"]), bool(r["picking_id"]))
                    for r in lot.get_trace("forward") if r["product_id"] == pump.id}
        # shipped, returned (last customer kept), never shipped
        expected = {("customer", True, True), ("internal", True, True),
                    ("internal", False, False)}
        real_states = unit_states(self.real_cap) | unit_states(self.lot(self.gen.products[
            "cap"], "R-C2"))
        self.assertEqual(real_states, expected)
        gen_states = set()
        for cap_id in self.gen.cap_lot_ids:
            gen_states |= unit_states(self.env["stock.production.lot"].browse(cap_id))
        self.assertEqual(gen_states, expected)

    def test_host_report_reads_generated_rows_to_our_answer(self):
        """(Not checked on the real units: they are all made within a second or
        two, and the host's report only follows a lot to lines dated strictly
        later, so it misses deliveries made in the same second as the MO.)"""
        pump = self.gen.products["pump"].id
        for cap_id in self.gen.cap_lot_ids[:2]:
            lot = self.env["stock.production.lot"].browse(cap_id)
            lines, complete, unfolds = self.gc.host_report_walk(self.env, lot)
            self.assertTrue(complete and unfolds > 1)
            host = self.gc.answer_from_lines(self.env.cr, lines, lot.id, pump)
            ours = self.gc.answer_from_trace(lot.get_trace("forward"), pump)
            self.assertTrue(ours[1] and ours[2], "the lot reaches shipped finished units")
            self.assertEqual(host, ours, lot.name)

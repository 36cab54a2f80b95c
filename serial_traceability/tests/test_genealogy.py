# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError

from .common import TraceabilityCase


class TestGenealogy(TraceabilityCase):

    def tearDown(self):
        # every scenario here also checks the kept forward closure against the walk
        self.assert_kept_closure_is_the_walk()
        super(TestGenealogy, self).tearDown()

    def _two_pumps(self):
        self.receive_components()
        pcb_mo = self.build_pcbs([("P1", [("C1", 2)], "M1"), ("P2", [("C2", 2)], "M2")])
        pump_mo = self.build_pumps([("U1", "P1", "B1"), ("U2", "P2", "B1")])
        return pcb_mo, pump_mo

    def test_three_levels_forward_and_backward(self):
        pcb_mo, pump_mo = self._two_pumps()
        c1 = self.lot(self.cap, "C1")
        forward = c1.get_genealogy("forward")
        self.assertEqual(self.names(forward), ["P1", "U1"])
        by_name = {self.env["stock.production.lot"].browse(r["lot_id"]).name: r for r in forward}
        self.assertEqual(by_name["P1"]["depth"], 1)
        self.assertEqual(by_name["P1"]["production_id"], pcb_mo.id)
        self.assertEqual(by_name["U1"]["depth"], 2)
        self.assertEqual(by_name["U1"]["parent_lot_id"], by_name["P1"]["lot_id"])
        self.assertEqual(by_name["U1"]["production_id"], pump_mo.id)
        u2 = self.lot(self.pump, "U2")
        self.assertEqual(self.names(u2.get_genealogy("backward")), ["B1", "C2", "M2", "P2"])
        self.assertEqual(self.names(u2.get_genealogy("backward", max_depth=1)), ["B1", "P2"])

    def test_multi_serial_mo_links_each_serial_to_its_own_components(self):
        """odoo/odoo#234971: one MO, two serials, different capacitor lots."""
        self._two_pumps()
        p1, p2 = self.lot(self.pcb, "P1"), self.lot(self.pcb, "P2")
        self.assertEqual(sorted(p1.component_lot_ids.mapped("name")), ["C1", "M1"])
        self.assertEqual(sorted(p2.component_lot_ids.mapped("name")), ["C2", "M2"])
        self.assertEqual(self.lot(self.cap, "C2").used_in_lot_ids, p2)

    def test_untracked_components_are_not_nodes(self):
        self._two_pumps()
        u1 = self.lot(self.pump, "U1")
        products = self.env["stock.production.lot"].browse(
            [r["lot_id"] for r in u1.get_genealogy("backward")]).mapped("product_id")
        self.assertNotIn(self.hsg, products)

    def test_two_lots_of_one_component_and_split_lot(self):
        self.receive_components(mcus=3)
        self.build_pcbs([("P1", [("C1", 1), ("C2", 1)], "M1"),
                         ("P2", [("C1", 2)], "M2")])
        self.build_pcbs([("P3", [("C1", 2)], "M3")])
        p1 = self.lot(self.pcb, "P1")
        self.assertEqual(sorted(p1.component_lot_ids.mapped("name")), ["C1", "C2", "M1"])
        c1 = self.lot(self.cap, "C1")
        self.assertEqual(self.names(c1.get_genealogy("forward")), ["P1", "P2", "P3"])

    def test_partial_production_in_several_steps(self):
        """Post inventory after each unit: every step leaves exact links."""
        self.receive_components()
        mo = self.flow._start_production(self.pcb, 2, self.pcb_bom)
        self.flow._produce(mo, 1, "P1", [(self.cap, 2, "C1"), (self.mcu, 1, "M1")])
        mo.post_inventory()
        self.assertEqual(self.names(self.lot(self.cap, "C1").get_genealogy("forward")), ["P1"])
        self.flow._produce(mo, 1, "P2", [(self.cap, 2, "C2"), (self.mcu, 1, "M2")])
        self.flow._finish(mo)
        self.assertEqual(self.names(self.lot(self.cap, "C2").get_genealogy("forward")), ["P2"])
        self.assertEqual(self.names(self.lot(self.cap, "C1").get_genealogy("forward")), ["P1"])

    def test_unbuild_undoes_the_link_and_keeps_history(self):
        self._two_pumps()
        p1 = self.lot(self.pcb, "P1")
        # The unit must be in stock to be unbuilt; it went into U1, so unbuild U1 first.
        pump = self.lot(self.pump, "U1")
        pump_mo = self.env["serial.genealogy.edge"].search(
            [("parent_lot_id", "=", pump.id)], limit=1).production_id
        self.env["mrp.unbuild"].create({
            "product_id": self.pump.id, "bom_id": self.pump_bom.id, "product_qty": 1,
            "product_uom_id": self.pump.uom_id.id, "mo_id": pump_mo.id, "lot_id": pump.id,
        }).action_unbuild()
        self.assertFalse(pump.component_lot_ids)
        self.assertEqual(self.names(p1.get_genealogy("forward")), [])
        history = self.env["serial.genealogy.edge"].with_context(active_test=False).search(
            [("parent_lot_id", "=", pump.id)])
        self.assertEqual(len(history), 2)
        self.assertTrue(all(e.unbuild_id for e in history))
        # The other pump is untouched.
        self.assertEqual(self.names(self.lot(self.cap, "C2").get_genealogy("forward")),
                         ["P2", "U2"])

    def test_return_then_reship_to_another_customer(self):
        self._two_pumps()
        u1 = self.lot(self.pump, "U1")
        first = self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        self.flow._return(first, [(self.pump, 1, u1)])
        c1 = self.lot(self.cap, "C1")
        rows = {r["lot_id"]: r for r in c1.get_trace("forward")}
        self.assertEqual(rows[u1.id]["location_usage"], "internal")
        self.assertEqual(rows[u1.id]["partner_id"], self.customer_a.id,
                         "the last customer who had it is kept after the return")
        second = self.flow._deliver(self.customer_b, [(self.pump, 1, u1)])
        rows = {r["lot_id"]: r for r in c1.get_trace("forward")}
        self.assertEqual(rows[u1.id]["partner_id"], self.customer_b.id)
        self.assertEqual(rows[u1.id]["picking_id"], second.id)
        self.assertEqual(rows[u1.id]["location_usage"], "customer")

    def test_rework_cycle_terminates(self):
        """A returned unit is reworked: its PCB is pulled out by unbuild and built
        into a new pump, which is later consumed again into a rework of the first
        serial's product: the trace ends and is right."""
        self._two_pumps()
        u1 = self.lot(self.pump, "U1")
        # Rework: U1 itself is consumed as a component of a new unit of the same
        # product (a self-referencing rework BOM), which gets serial U1R.
        rework_bom = self._bom(self.pump, [(self.pump, 1)])
        mo = self.flow._start_production(self.pump, 1, rework_bom)
        self.flow._produce(mo, 1, "U1R", [(self.pump, 1, u1)])
        self.flow._finish(mo)
        u1r = self.lot(self.pump, "U1R")
        # ... and the reworked unit is reworked back under its first serial.
        mo = self.flow._start_production(self.pump, 1, rework_bom)
        self.flow._produce(mo, 1, u1, [(self.pump, 1, u1r)])
        self.flow._finish(mo)
        forward = self.lot(self.cap, "C1").get_genealogy("forward")
        # U1 is reached from P1 and, by the rework, from U1R; the walk does not follow
        # the rework link, which would re-enter its own path.
        self.assertEqual(self.names(forward), ["P1", "U1", "U1", "U1R"])
        rework = [r for r in forward if r["parent_lot_id"] == u1r.id]
        self.assertEqual([(r["lot_id"], r["depth"]) for r in rework], [(u1.id, 4)])
        self.assertEqual(self.names(u1.get_genealogy("forward")), ["U1R"])
        self.assertEqual(self.names(u1.get_genealogy("backward")),
                         ["B1", "C1", "M1", "P1", "U1R"])

    def test_bad_direction_and_unreadable_lot(self):
        self._two_pumps()
        c1 = self.lot(self.cap, "C1")
        with self.assertRaisesRegex(UserError, "forward"):
            c1.get_genealogy("sideways")
        with self.assertRaises(UserError):
            self.env["stock.production.lot"].browse(10 ** 8).get_genealogy("forward")
        with self.assertRaises(UserError):
            c1.get_genealogy("forward", max_depth=0)

    def test_stock_user_traces_and_other_company_sees_nothing(self):
        self._two_pumps()
        c1 = self.lot(self.cap, "C1")
        as_user = c1.sudo(self.stock_user)
        self.assertEqual(self.names(as_user.get_genealogy("forward")), ["P1", "U1"])
        other = self.env["res.company"].create({"name": "T Other Co"})
        b_user = self._user("t_other_co_user", ["stock.group_stock_user"], company=other)
        with self.assertRaises(UserError):  # the lot is not theirs to read
            c1.sudo(b_user).get_genealogy("forward")
        self.assertFalse(self.env["serial.genealogy.edge"].sudo(b_user).search([]))

    def test_trace_view_rows(self):
        self._two_pumps()
        u1 = self.lot(self.pump, "U1")
        self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        c1 = self.lot(self.cap, "C1").sudo(self.stock_user)
        action = c1.action_view_customers()
        lines = self.env["serial.trace.line"].sudo(self.stock_user).search(action["domain"])
        shipped = lines.filtered(lambda l: l.unit_state == "shipped")
        self.assertEqual(shipped.mapped("lot_id.name"), ["U1"])
        self.assertEqual(shipped.partner_id, self.customer_a)
        self.assertEqual(lines.filtered(lambda l: l.lot_id.name == "P1").unit_state,
                         "consumed")

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.exceptions import AccessError

from .quality_common import QualityCase

FAILING = [("Flow rate", 120.0, "%", "range", 95.0, 105.0)]


class TestQualityHold(QualityCase):

    def setUp(self):
        super(TestQualityHold, self).setUp()
        self.warehouse = self.flow._warehouse()
        self.stock_flow = self.flow.sudo(self.stock_user)

    def fail_and_hold(self, lots):
        """A failed final test, approved: its units go on hold by themselves."""
        return self.approve(self.new_event(lots, result="fail", measurements=FAILING))

    def reserved_delivery(self, qty):
        """A confirmed delivery of ``qty`` pumps, reserved by the host as a stock user."""
        picking = self.env["stock.picking"].sudo(self.stock_user).create({
            "picking_type_id": self.warehouse.out_type_id.id,
            "partner_id": self.customer_a.id,
            "location_id": self.warehouse.lot_stock_id.id,
            "location_dest_id": self.customer_a.property_stock_customer.id,
        })
        self.env["stock.move"].sudo(self.stock_user).create({
            "name": "pumps", "picking_id": picking.id, "product_id": self.pump.id,
            "product_uom": self.pump.uom_id.id, "product_uom_qty": qty,
            "location_id": picking.location_id.id,
            "location_dest_id": picking.location_dest_id.id,
        })
        picking.action_confirm()
        picking.action_assign()
        return picking

    def test_failed_test_holds_the_unit_and_it_cannot_ship(self):
        u1, u2, _u3 = self.make_pumps()
        event = self.fail_and_hold(u1)
        self.assertTrue(u1.quality_hold)
        self.assertEqual(u1.hold_event_id, event)
        self.assertEqual(u1.quality_state, "on_hold")
        self.assertIn(event.name, u1.hold_reason)
        with self.assertRefused(r"Cannot ship:\nU1 \(T Pump\) is on quality "
                                r"hold by Quality event %s" % re.escape(event.name)):
            self.stock_flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        picking = self.stock_flow._deliver(self.customer_a, [(self.pump, 1, u2)])
        self.assertEqual(picking.state, "done")

    def test_reservation_skips_held_units_and_refuses_a_named_one(self):
        u1, u2, u3 = self.make_pumps()
        nc = self.new_event([u1], kind="non_conformance", result=False, measurements=[],
                            description="Scratched housing")
        nc.sudo(self.trace_user).action_put_on_hold()  # containment before approval
        self.assertTrue(u1.quality_hold)
        picking = self.reserved_delivery(3)
        self.assertEqual(picking.move_line_ids.mapped("lot_id"), u2 | u3)
        self.assertEqual(picking.move_lines.state, "partially_available")
        with self.assertRefused(r"Cannot reserve T Pump:\nU1 .*Scratched"):
            self.env["stock.quant"].sudo(self.stock_user)._update_reserved_quantity(
                self.pump, self.warehouse.lot_stock_id, 1, lot_id=u1, strict=True)
        with self.assertRefused("Cannot ship:\nU1"):
            picking.move_line_ids[0].sudo(self.stock_user).lot_id = u1

    def test_unit_reserved_before_its_hold_cannot_ship(self):
        self.make_pumps()
        picking = self.reserved_delivery(1)
        line = picking.move_line_ids
        line.sudo(self.stock_user).qty_done = 1
        self.fail_and_hold(line.lot_id)
        with self.assertRefused("Cannot ship:\n%s" % line.lot_id.name):
            picking.sudo(self.stock_user).button_validate()
        with self.assertRefused("Cannot ship"):
            line.sudo(self.stock_user).write({"qty_done": 1})
        self.assertEqual(picking.state, "assigned")

    def test_held_component_is_neither_reserved_nor_consumed(self):
        self.receive_components()
        self.build_pcbs([("P1", [("C1", 2)], "M1"), ("P2", [("C1", 2)], "M2")])
        p1, p2 = self.lot(self.pcb, "P1"), self.lot(self.pcb, "P2")
        nc = self.approve(self.new_event([p1], kind="non_conformance", result=False,
                                         measurements=[], description="Cold solder joint"))
        self.assertEqual(p1.hold_event_id, nc)
        mo = self.flow._start_production(self.pump, 1, self.pump_bom)
        pcb_move = mo.move_raw_ids.filtered(lambda m: m.product_id == self.pcb)
        self.assertEqual(pcb_move.move_line_ids.mapped("lot_id"), p2)
        with self.assertRefused(r"Cannot consume in %s:\nP1 .*%s" % (
                re.escape(mo.name), re.escape(nc.name))):
            self.flow._produce(mo, 1, "U1", [(self.pcb, 1, p1), (self.bat, 1, "B1")])
        self.flow._produce(mo, 1, "U1", [(self.pcb, 1, p2), (self.bat, 1, "B1")])
        self.flow._finish(mo)
        self.assertEqual(self.lot(self.pump, "U1").component_lot_ids.filtered(
            lambda lot: lot.product_id == self.pcb), p2)

    def test_release_event_lifts_the_hold(self):
        u1 = self.make_pumps(1)[0]
        self.fail_and_hold(u1)
        release = self.new_event([u1], kind="release", result=False, measurements=[],
                                 description="Retested after recalibration")
        with self.assertRaises(AccessError):
            release.sudo(self.trace_user).action_approve()
        with self.assertRaises(AccessError):
            u1.sudo(self.trace_user)._release_hold("trying")
        self.assertTrue(u1.quality_hold)
        self.approve(release)
        self.assertFalse(u1.quality_hold)
        self.assertFalse(u1.hold_reason)
        self.assertEqual(u1.quality_state, "failed", "released, but its last test failed")
        actions = self.env["serial.audit.entry"].search(
            [("res_model", "=", "stock.production.lot"), ("res_id", "=", u1.id),
             ("action", "in", ("hold", "release"))]).mapped("action")
        self.assertEqual(sorted(actions), ["hold", "release"])
        picking = self.stock_flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        self.assertEqual(picking.state, "done")

    def test_held_unit_comes_back_from_a_customer_and_moves_to_quarantine(self):
        _u1, u2, _u3 = self.make_pumps()
        delivery = self.stock_flow._deliver(self.customer_a, [(self.pump, 1, u2)])
        complaint = self.new_event([u2], kind="non_conformance", result=False,
                                   measurements=[], description="Alarm fails at customer")
        complaint.sudo(self.trace_user).action_put_on_hold()
        returned = self.stock_flow._return(delivery, [(self.pump, 1, u2)])
        self.assertEqual(returned.state, "done")
        stock = self.warehouse.lot_stock_id
        self.assertEqual(self.env["stock.quant"]._get_available_quantity(
            self.pump, stock, lot_id=u2, strict=True), 1)
        quarantine = self.env["stock.location"].create(
            {"name": "Quarantine", "usage": "internal", "location_id": stock.id})
        moved = self.stock_flow._transfer(self.warehouse.int_type_id, self.env["res.partner"],
                                          [(self.pump, 1, u2)], location=stock,
                                          location_dest=quarantine)
        self.assertEqual(moved.state, "done")
        self.assertTrue(u2.quality_hold)
        with self.assertRefused("Cannot ship:\nU2"):
            self.stock_flow._transfer(self.warehouse.out_type_id, self.customer_b,
                                      [(self.pump, 1, u2)], location=quarantine)

    def test_hold_is_set_by_events_only(self):
        u1 = self.make_pumps(1)[0]
        for user in (self.stock_user, self.trace_user):
            with self.assertRefused("not edited on the lot"):
                u1.sudo(user).write({"quality_hold": True})
        with self.assertRaises(AccessError):
            u1.sudo(self.stock_user)._put_on_hold("suspect")
        passed = self.new_event([u1])
        with self.assertRefused("Only a failed test"):
            passed.sudo(self.trace_user).action_put_on_hold()
        self.assertFalse(u1.quality_hold)
        u1.sudo(self.trace_user)._put_on_hold("Suspect supplier batch")
        self.assertTrue(u1.quality_hold)
        self.assertFalse(u1.hold_event_id)

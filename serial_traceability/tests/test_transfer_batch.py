# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Serial-heavy transfers (issue 19, item 2): reserving and validating in batches
(``stock_move_assign_batch.py``, ``stock_move_line_done_batch.py`` and the quant plan)
leaves exactly the rows of the host's path (``serial_traceability_host_path=True``):
every quant, move line, move, picking (backorders included), lot, genealogy link and
audit entry, ids and the run's timestamps aside (``transfer_state.py``). Each flow
runs once per path, each in a savepoint rolled back afterwards, through the host's
own flows; the batched one with slices of one line, so that every line of a move is
a slice of its own and the quants carry over from slice to slice."""
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError

from ..models.stock_move_line_quant_plan import QuantPlan
from . import transfer_state
from .common import TraceabilityCase

HOST = {"serial_traceability_host_path": True}
OURS = {"serial_done_slice": 1}


class TestTransferBatch(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestTransferBatch, cls).setUpClass()
        cls.warehouse = cls.flow._warehouse()
        cls.stock = cls.warehouse.lot_stock_id
        cls.shelf = cls.env["stock.location"].create({
            "name": "T Shelf", "location_id": cls.stock.id, "usage": "internal"})
        cls.mcu.product_tmpl_id.warranty_months = 12
        cls.flow._receive(cls.supplier, [(cls.mcu, 1, "D%02d" % i) for i in range(1, 7)])
        # one capacitor lot in two quants: 4 in stock, 6 on the shelf
        cls.flow._receive(cls.supplier, [(cls.cap, 4, "CL")])
        cls.flow._transfer(cls.warehouse.in_type_id, cls.supplier, [(cls.cap, 6, "CL")],
                           location_dest=cls.shelf)
        cls.flow._receive(cls.supplier, [(cls.cap, 50, "C1"), (cls.bat, 20, "B1"),
                                         (cls.hsg, 20, None)])
        cls.flow._receive(cls.supplier, [(cls.mcu, 1, "M%d" % i) for i in range(1, 4)])

    # -- running a flow on both paths ------------------------------------------------
    def both(self, flow, products):
        """``flow(env)`` on the host's path, then on ours; their end states."""
        states = []
        for context in (HOST, OURS):
            cr = self.env.cr
            cr.execute("SAVEPOINT transfer_batch")
            before = transfer_state.marks(cr)
            with patch.object(QuantPlan, "check_done", autospec=True,
                              side_effect=QuantPlan.check_done) as planned:
                pickings = flow(self.env(user=self.stock_user.id, context=dict(context)))
            # the host's path plans nothing; ours moves the quants of every slice
            self.assertEqual(bool(planned.call_count), context is OURS)
            self.env.cache.invalidate()
            states.append(transfer_state.read(cr, products, pickings, before))
            cr.execute("ROLLBACK TO SAVEPOINT transfer_batch")
            self.env.cache.invalidate()
        return states

    def assertSameEnd(self, flow, products, done_lines):
        host, ours = self.both(flow, products)
        differences = []
        self.assertTrue(transfer_state.same(ours, host, log=differences.append),
                        "\n".join(differences))
        names, lines = host["stock_move_line"]
        state = names.index("state")
        self.assertEqual(sum(1 for line in lines if line[state] == "done"), done_lines,
                         "the flow did not run as planned")

    def outgoing(self, env, product, qty):
        picking = env["stock.picking"].create({
            "picking_type_id": self.warehouse.out_type_id.id,
            "partner_id": self.customer_a.id, "location_id": self.stock.id,
            "location_dest_id": self.customer_a.property_stock_customer.id})
        env["stock.move"].create({
            "name": product.name, "picking_id": picking.id, "product_id": product.id,
            "product_uom": product.uom_id.id, "product_uom_qty": qty,
            "location_id": self.stock.id,
            "location_dest_id": self.customer_a.property_stock_customer.id})
        picking.action_confirm()
        picking.action_assign()
        return picking

    def receipt(self, env, lines):
        """A receipt of MCUs with typed serials: [(name, qty done, destination,
        package)] as the Detailed operations save them."""
        picking = env["stock.picking"].create({
            "picking_type_id": self.warehouse.in_type_id.id,
            "partner_id": self.supplier.id,
            "location_id": self.supplier.property_stock_supplier.id,
            "location_dest_id": self.stock.id})
        move = env["stock.move"].create({
            "name": self.mcu.name, "picking_id": picking.id, "product_id": self.mcu.id,
            "product_uom": self.mcu.uom_id.id,
            "product_uom_qty": sum(qty for _name, qty, _dest, _package in lines),
            "picking_type_id": self.warehouse.in_type_id.id,
            "location_id": picking.location_id.id, "location_dest_id": self.stock.id})
        picking.action_confirm()
        picking.write({"move_line_ids": [(2, line.id) for line in picking.move_line_ids] + [
            (0, 0, {"move_id": move.id, "product_id": self.mcu.id,
                    "product_uom_id": self.mcu.uom_id.id, "location_id": move.location_id.id,
                    "location_dest_id": dest.id, "lot_name": name, "qty_done": qty,
                    "result_package_id": package.id if package else False})
            for name, qty, dest, package in lines]})
        return picking

    # -- the flows ---------------------------------------------------------------------
    def test_delivery_in_full(self):
        def flow(env):
            picking = self.outgoing(env, self.mcu, 6)
            for line in picking.move_line_ids:
                line.qty_done = line.product_uom_qty
            picking.button_validate()
            self.assertEqual(picking.state, "done")
            return picking
        self.assertSameEnd(flow, self.mcu, 6)

    def test_delivery_in_part_with_backorder(self):
        def flow(env):
            picking = self.outgoing(env, self.mcu, 6)
            for line in picking.move_line_ids[:4]:
                line.qty_done = 1
            action = picking.button_validate()
            self.assertEqual(action["res_model"], "stock.backorder.confirmation")
            env["stock.backorder.confirmation"].create(
                {"pick_ids": [(4, picking.id)]}).process()
            backorder = env["stock.picking"].search([("backorder_id", "=", picking.id)])
            self.assertEqual((picking.state, backorder.state), ("done", "assigned"))
            return picking | backorder
        self.assertSameEnd(flow, self.mcu, 4)

    def test_receipt_into_two_locations_with_packages(self):
        def flow(env):
            box_a = env["stock.quant.package"].create({})
            box_b = env["stock.quant.package"].create({})
            picking = self.receipt(env, [
                ("R1", 1, self.stock, box_a), ("R2", 1, self.stock, box_a),
                ("R3", 1, self.shelf, box_b), ("R4", 1, self.shelf, None),
                ("R5", 1, self.stock, None)])
            picking.button_validate()
            self.assertEqual(picking.state, "done")
            return picking
        self.assertSameEnd(flow, self.mcu, 5)

    def test_return_of_a_delivery(self):
        def flow(env):
            picking = self.outgoing(env, self.mcu, 3)
            for line in picking.move_line_ids:
                line.qty_done = 1
            picking.button_validate()
            lots = picking.move_line_ids.mapped("lot_id")
            returned = type(self.flow)(env)._return(
                picking, [(self.mcu, 1, lot) for lot in lots])
            self.assertEqual(returned.state, "done")
            return picking | returned
        self.assertSameEnd(flow, self.mcu, 6)

    def test_production_consuming_serials(self):
        def flow(env):
            maker = type(self.flow)(self.env(context=env.context))
            mo = maker._start_production(self.pcb, 3, self.pcb_bom)
            for serial, mcu in (("P1", "M1"), ("P2", "M2"), ("P3", "M3")):
                maker._produce(mo, 1, serial, [(self.cap, 2, "C1"), (self.mcu, 1, mcu)])
            maker._finish(mo)
            self.assertEqual(mo.state, "done")
            return env["stock.picking"]
        self.assertSameEnd(flow, self.mcu | self.cap | self.pcb, 9)

    def test_lot_split_across_quants(self):
        def flow(env):
            picking = self.outgoing(env, self.cap, 7)
            self.assertEqual(len(picking.move_line_ids), 2)
            for line in picking.move_line_ids:
                line.qty_done = line.product_uom_qty
            picking.button_validate()
            self.assertEqual(picking.state, "done")
            return picking
        self.assertSameEnd(flow, self.cap, 2)

    # -- controls and bad input on the batched path -------------------------------------
    def test_hold_still_refuses_on_the_batched_path(self):
        env = self.env(user=self.stock_user.id, context=dict(OURS))
        picking = self.outgoing(env, self.mcu, 6)
        for line in picking.move_line_ids:
            line.qty_done = 1
        self.lot(self.mcu, "D04")._put_on_hold("Suspect solder joint")
        before = transfer_state.marks(self.env.cr)
        state = transfer_state.read(self.env.cr, self.mcu, picking, before)
        with self.assertRaisesRegex(UserError, "D04"):
            picking.button_validate()
        self.env.cache.invalidate()
        self.assertEqual(transfer_state.read(self.env.cr, self.mcu, picking, before), state,
                         "a refused validation wrote something")

    def refusal(self, lines, context):
        env = self.env(user=self.stock_user.id, context=dict(context))
        picking = self.receipt(env, lines)
        self.env.cr.execute("SAVEPOINT refusal")
        before = transfer_state.marks(self.env.cr)
        state = transfer_state.read(self.env.cr, self.mcu, picking, before)
        with self.assertRaises((UserError, ValidationError)) as caught:
            picking.button_validate()
        self.env.cache.invalidate()
        after = transfer_state.read(self.env.cr, self.mcu, picking, before)
        self.env.cr.execute("ROLLBACK TO SAVEPOINT refusal")
        self.env.cache.invalidate()
        return caught.exception, after == state

    def test_serial_already_in_stock_refused_as_by_the_host(self):
        lines = [("N1", 1, self.stock, None), ("D02", 1, self.stock, None),
                 ("N2", 1, self.stock, None)]
        host, _unused = self.refusal(lines, HOST)
        ours, untouched = self.refusal(lines, OURS)
        self.assertEqual((type(ours), ours.name), (type(host), host.name))
        self.assertIn("D02", ours.name)
        self.assertTrue(untouched, "the batched path wrote before refusing")

    def test_serial_typed_twice_refused_before_writing(self):
        lines = [("N1", 1, self.stock, None), ("N2", 1, self.stock, None),
                 ("N1", 1, self.shelf, None)]
        host, _unused = self.refusal(lines, HOST)
        ours, untouched = self.refusal(lines, OURS)
        self.assertIsInstance(host, UserError)
        self.assertIsInstance(ours, UserError)
        self.assertIn('"N1"', ours.name)
        self.assertIn("twice", ours.name)
        self.assertTrue(untouched, "the batched path wrote before refusing")

    def test_serial_above_one_unit_refused_as_by_the_host(self):
        lines = [("N1", 1, self.stock, None), ("N2", 2, self.stock, None),
                 ("N3", 1, self.stock, None)]
        host, _unused = self.refusal(lines, HOST)
        ours, _unused = self.refusal(lines, OURS)
        self.assertEqual((type(ours), ours.name), (type(host), host.name))

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""*Record returns* of part of a lot-tracked lot (issue 18): 30 of the 100 kg
shipped to a customer come back, in the lot's unit, through the host's return
into quarantine; the mass balance counts them; bad quantities write nothing."""
from odoo.exceptions import UserError

from .recall_common import RecallCase


class TestRecallPartialReturn(RecallCase):

    @classmethod
    def setUpClass(cls):
        super(TestRecallPartialReturn, cls).setUpClass()
        cls.kg = cls.env.ref("product.product_uom_kgm")
        cls.gram = cls.env.ref("product.product_uom_gram")
        cls.flour = cls.env["product.product"].create({
            "name": "T Flour", "type": "product", "tracking": "lot",
            "uom_id": cls.kg.id, "uom_po_id": cls.kg.id})

    def deliver_grams(self, partner, grams, lot):
        """A delivery of ``lot`` written in grams (the product's unit is kg)."""
        out_type = self.flow._warehouse().out_type_id
        src, dst = out_type.default_location_src_id, partner.property_stock_customer
        picking = self.env["stock.picking"].create({
            "picking_type_id": out_type.id, "partner_id": partner.id,
            "location_id": src.id, "location_dest_id": dst.id})
        move = self.env["stock.move"].create({
            "name": "T Flour", "picking_id": picking.id, "product_id": self.flour.id,
            "product_uom": self.gram.id, "product_uom_qty": grams,
            "location_id": src.id, "location_dest_id": dst.id})
        picking.action_confirm()
        picking.move_line_ids.unlink()
        self.env["stock.move.line"].create({
            "move_id": move.id, "picking_id": picking.id, "product_id": self.flour.id,
            "product_uom_id": self.gram.id, "location_id": src.id,
            "location_dest_id": dst.id, "lot_id": lot.id, "qty_done": grams})
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    def flour_recall(self):
        """F1: 150 kg received; to customer A 60 kg then 40,000 g; 20 kg to B;
        30 kg left in stock. An open recall of F1."""
        self.flow._receive(self.supplier, [(self.flour, 150, "F1")])
        lot = self.lot(self.flour, "F1")
        first = self.flow._deliver(self.customer_a, [(self.flour, 60, lot)])
        second = self.deliver_grams(self.customer_a, 40000, lot)
        self.flow._deliver(self.customer_b, [(self.flour, 20, lot)])
        recall = self.create_recall(lot)
        recall.action_open()
        return lot, recall, first, second

    def scan(self, recall, code):
        scan = self.env["serial.recall.scan"].sudo(self.qm).create({"recall_id": recall.id})
        scan._scan(code)
        return scan

    def returns(self, scan, quantities):
        """Keep the rows of ``quantities`` {partner: qty}, with those quantities."""
        for row in scan.qty_line_ids:
            if row.partner_id in quantities:
                row.quantity = quantities[row.partner_id]
            else:
                row.unlink()
        return scan.action_confirm()

    def balance(self, lot):
        return lot.sudo(self.trace_user).get_mass_balance()

    def test_part_of_a_lot_comes_back_and_balances(self):
        lot, recall, first, second = self.flour_recall()
        line = self.by_lot(recall)["F1"]
        self.assertTrue(line.at_customer)
        scan = self.scan(recall, "F1")
        self.assertIn("enter the quantity", scan.scan_message)
        self.assertEqual(sorted((r.partner_id.name, r.outstanding_qty, r.quantity,
                                 r.uom_id.name) for r in scan.qty_line_ids),
                         sorted([(self.customer_a.name, 100, 100, self.kg.name),
                                 (self.customer_b.name, 20, 20, self.kg.name)]))
        self.returns(scan, {self.customer_a: 30})
        quarantine = self.quarantine()
        # the newest delivery (in grams) gives back first, through the host's return
        back = self.env["stock.picking"].search(
            [("move_lines.origin_returned_move_id", "in", second.move_lines.ids)])
        self.assertEqual((back.state, back.location_dest_id), ("done", quarantine))
        self.assertFalse(self.env["stock.move"].search(
            [("origin_returned_move_id", "in", first.move_lines.ids)]))
        self.assertEqual(back.move_line_ids.mapped("lot_id"), lot)
        self.assertEqual(back.move_line_ids.product_uom_id, self.kg)
        self.assertEqual(back.move_line_ids.qty_done, 30)
        self.assertEqual(self.quant_qty(lot, quarantine), 30)
        bal = self.balance(lot)
        self.assertEqual(bal["uom"], self.kg.name)
        self.assertEqual((bal["start"], bal["shipped"], bal["returned"], bal["in_stock"],
                          bal["in_quarantine"], bal["unaccounted"], bal["accounted_pct"]),
                         (150, 120, 30, 60, 30, 0, 100))
        self.assertEqual([(r["partner_id"], r["qty"]) for r in bal["returned_by_customer"]],
                         [(self.customer_a.id, 30)])
        # 70 kg still at A, 20 at B: the lot is not recovered yet
        line = self.by_lot(recall)["F1"]
        self.assertFalse(line.recovered)
        self.assertTrue(line.at_customer)
        self.assertIn("30 kg of F1", recall.message_ids[0].body)
        # the rest: 10 kg from the grams delivery, 60 from the first; and B's 20
        scan = self.scan(recall, "F1")
        self.assertEqual(sorted((r.partner_id.name, r.outstanding_qty)
                                for r in scan.qty_line_ids),
                         sorted([(self.customer_a.name, 70), (self.customer_b.name, 20)]))
        self.returns(scan, {self.customer_a: 70, self.customer_b: 20})
        back_first = self.env["stock.move.line"].search(
            [("move_id.origin_returned_move_id", "in", first.move_lines.ids)])
        self.assertEqual(sum(back_first.mapped("qty_done")), 60)
        bal = self.balance(lot)
        self.assertEqual((bal["returned"], bal["in_quarantine"], bal["in_stock"],
                          bal["accounted_pct"]), (120, 120, 150, 100))
        line = self.by_lot(recall)["F1"]
        self.assertTrue(line.recovered)
        self.assertFalse(line.at_customer)
        # nothing left to return
        scan = self.scan(recall, "F1")
        self.assertFalse(scan.qty_line_ids)

    def test_bad_quantities_write_nothing(self):
        lot, recall, _first, _second = self.flour_recall()
        pickings = self.env["stock.picking"].search_count([])
        before = self.balance(lot)
        messages = len(recall.message_ids)
        for qty, text in ((100.5, "only 100 kg"), (-5, "more than zero"),
                          (0, "more than zero")):
            scan = self.scan(recall, "F1")
            with self.assertRaisesRegex(UserError, text):
                self.returns(scan, {self.customer_a: qty})
        # two rows of the same customer are added up
        scan = self.scan(recall, "F1")
        self.returns(scan, {self.customer_b: 15})
        scan = self.scan(recall, "F1")
        scan.write({"qty_line_ids": [(0, 0, {"lot_id": lot.id,
                                             "partner_id": self.customer_b.id,
                                             "quantity": 3})]})
        with self.assertRaisesRegex(UserError, "only 5 kg"):
            self.returns(scan, {self.customer_b: 3})
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings + 1)
        after = self.balance(lot)
        self.assertEqual((after["returned"], after["in_stock"]),
                         (before["returned"] + 15, before["in_stock"] + 15))
        self.assertEqual(len(recall.message_ids), messages + 1)

    def test_drill_moves_nothing(self):
        lot, _recall, _first, _second = self.flour_recall()
        drill = self.create_recall(lot, drill=True)
        drill.action_open()
        pickings = self.env["stock.picking"].search_count([])
        self.returns(self.scan(drill, "F1"), {self.customer_a: 30})
        self.assertFalse(self.by_lot(drill)["F1"].recovered)
        self.returns(self.scan(drill, "F1"), {self.customer_a: 100, self.customer_b: 20})
        self.assertTrue(self.by_lot(drill)["F1"].recovered)
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings)
        self.assertEqual(self.balance(lot)["returned"], 0)

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Generate serials on an immediate receipt (Inventory ▸ Receipts ▸ Immediate
Transfer, or Create): its moves have no demand, the quantities are the Done
quantities of its operation lines."""
from odoo.exceptions import UserError

from .test_serial_generation import SerialGenerationCase


class TestImmediateReceipt(SerialGenerationCase):

    def immediate_receipt(self, product, done_quantities):
        """A receipt made as the web client makes an immediate one: the move is
        created with the picking (no demand; the host confirms it at once), then its
        operation lines come from the detailed-operations dialog, Done filled in and
        no lot."""
        in_type = self.warehouse.in_type_id
        source = self.supplier.property_stock_supplier
        dest = in_type.default_location_dest_id
        picking = self.env["stock.picking"].sudo(self.stock_user).create({
            "picking_type_id": in_type.id, "partner_id": self.supplier.id,
            "location_id": source.id, "location_dest_id": dest.id,
            "move_lines": [(0, 0, {
                "name": product.name, "product_id": product.id,
                "product_uom": product.uom_id.id, "product_uom_qty": 0,
                "location_id": source.id, "location_dest_id": dest.id})]})
        picking.move_lines.write({"move_line_ids": [(0, 0, {
            "product_id": product.id, "product_uom_id": product.uom_id.id,
            "picking_id": picking.id, "location_id": source.id,
            "location_dest_id": dest.id, "qty_done": qty}) for qty in done_quantities]})
        return picking

    def test_done_quantities_are_numbered_and_the_receipt_validates(self):
        picking = self.immediate_receipt(self.sensor, [3, 1, 1])
        self.assertEqual(picking.move_lines.product_uom_qty, 0)
        action = picking.sudo(self.stock_user).action_open_serial_generate()
        self.assertEqual(action["res_model"], "serial.generate.wizard")
        result = self.generate(picking, self.stock_user)
        # the dialog closes, which reloads the transfer behind it
        self.assertEqual(result, {"type": "ir.actions.act_window_close"})
        lines = picking.move_line_ids
        self.assertEqual(len(lines), 5)
        self.assertEqual(lines.mapped("qty_done"), [1.0] * 5)
        self.assertEqual(len(lines.mapped("lot_id")), 5)
        picking.sudo(self.stock_user).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(sorted(lines.mapped("lot_id.product_qty")), [1.0] * 5)
        with self.assertRaisesRegex(UserError, "already done"):
            picking.sudo(self.stock_user).action_open_serial_generate()

    def test_lot_product_gets_one_lot_for_its_lines(self):
        picking = self.immediate_receipt(self.glue, [12, 8])
        self.generate(picking, self.stock_user)
        lots = picking.move_line_ids.mapped("lot_id")
        self.assertEqual(len(lots), 1)
        self.assertEqual(sum(picking.move_line_ids.mapped("qty_done")), 20)
        picking.sudo(self.stock_user).button_validate()
        self.assertEqual(lots.product_qty, 20)

    def test_no_quantity_yet_says_where_to_enter_it(self):
        picking = self.immediate_receipt(self.sensor, [])
        count = self.Lot.search_count([("product_id", "=", self.sensor.id)])
        with self.assertRaisesRegex(UserError, "does not say how many units of .*T Sensor"):
            picking.sudo(self.stock_user).action_open_serial_generate()
        self.assertEqual(self.Lot.search_count([("product_id", "=", self.sensor.id)]), count)

    def test_labels_close_the_dialog_once_downloaded(self):
        picking = self.immediate_receipt(self.sensor, [2])
        action = self.generate(picking, self.stock_user, print_labels=True)
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertTrue(action["close_on_report_download"])
        self.assertEqual(sorted(action["context"]["active_ids"]),
                         sorted(picking.move_line_ids.mapped("lot_id").ids))

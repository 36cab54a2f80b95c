# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Shared set-up of the scan tests: products with GTINs, transfers made through the
host, and scans sent through the barcode mixin as a scanner would."""
from odoo.addons.serial_traceability.lib import gs1
from odoo.addons.serial_traceability.tests.common import TraceabilityCase

GS = gs1.GS


def gtin(number):
    """A valid GTIN-14 of our test range (not the demo's)."""
    body = "0950611%06d" % number
    return body + gs1.gtin_check_digit(body)


class ScanCase(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(ScanCase, cls).setUpClass()
        for number, product in enumerate((cls.pump, cls.pcb, cls.mcu, cls.cap, cls.bat,
                                          cls.hsg), start=1):
            product.barcode = gtin(number)
        cls.warehouse = cls.flow._warehouse()
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.Lot = cls.env["stock.production.lot"]

    # -- transfers --------------------------------------------------------------------
    def picking(self, picking_type, lines, partner=None):
        """A confirmed (and, where stock allows, reserved) transfer of
        ``lines`` [(product, qty)], made as a user makes it in the host."""
        partner = partner or (self.supplier if picking_type.code == "incoming"
                              else self.customer_a)
        location = picking_type.default_location_src_id or partner.property_stock_supplier
        dest = picking_type.default_location_dest_id or partner.property_stock_customer
        picking = self.env["stock.picking"].create({
            "picking_type_id": picking_type.id, "partner_id": partner.id,
            "location_id": location.id, "location_dest_id": dest.id})
        for product, qty in lines:
            self.env["stock.move"].create({
                "name": product.name, "picking_id": picking.id, "product_id": product.id,
                "product_uom": product.uom_id.id, "product_uom_qty": qty,
                "picking_type_id": picking_type.id,
                "location_id": location.id, "location_dest_id": dest.id})
        picking.action_confirm()
        picking.action_assign()
        return picking

    def receipt(self, lines):
        return self.picking(self.warehouse.in_type_id, lines)

    def delivery(self, lines, partner=None):
        return self.picking(self.warehouse.out_type_id, lines, partner)

    # -- scanning ---------------------------------------------------------------------
    def open_scan(self, picking, user=None):
        user = user or self.stock_user
        action = picking.sudo(user).action_serial_scan()
        self.assertEqual(action["res_model"], "serial.picking.scan")
        return self.env["serial.picking.scan"].sudo(user).browse(action["res_id"])

    def scan(self, screen, *codes):
        for code in codes:
            screen.on_barcode_scanned(code)
        return screen

    def label(self, product, serial=None, lot=None, **more):
        """The raw GS1 string a scanner sends for a label: symbology identifier, GS
        after each variable-length field that is not last."""
        elements = [("01", product.barcode)]
        elements += sorted(more.items())
        if lot:
            elements.append(("10", lot))
        if serial:
            elements.append(("21", serial))
        return "]d2" + gs1.build_element_string(elements)

    def state_of(self, picking):
        """What a scan may change: the transfer's operations and the lots."""
        self.env.cr.execute("""
            SELECT id, lot_id, lot_name, qty_done, product_uom_qty FROM stock_move_line
             WHERE picking_id = %s ORDER BY id""", (picking.id,))
        lines = self.env.cr.fetchall()
        self.env.cr.execute("SELECT count(*), max(id) FROM stock_production_lot")
        return lines, self.env.cr.fetchone()

    def assertRefused(self, screen, code, *words):
        picking = screen.picking_id if "picking_id" in screen._fields else None
        before = self.state_of(picking) if picking else None
        screen.on_barcode_scanned(code)
        self.assertEqual(screen.scan_status, "refused", screen.scan_message)
        for word in words:
            self.assertIn(word, screen.scan_message)
        if picking:
            self.assertEqual(self.state_of(picking), before, "a refused scan wrote")
        return screen.scan_message

    def assertAccepted(self, screen, code, *words, status="ok"):
        screen.on_barcode_scanned(code)
        self.assertEqual(screen.scan_status, status, screen.scan_message)
        for word in words:
            self.assertIn(word, screen.scan_message)
        return screen.scan_message

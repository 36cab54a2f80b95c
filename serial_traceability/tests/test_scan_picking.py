# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Scanning receipts, internal transfers and deliveries, as a plain stock user."""
from odoo.exceptions import UserError

from .scan_common import GS, ScanCase, gtin


class TestScanReceipt(ScanCase):

    def test_receive_serials_by_gs1_label(self):
        picking = self.receipt([(self.pump, 3)])
        screen = self.open_scan(picking)
        self.assertEqual(screen.scan_status, "waiting")
        self.assertEqual((screen.done_qty, screen.demand_qty), (0, 3))
        # A supplier label: production date, expiry, vendor lot, serial; FNC1 as GS.
        raw = "]d2" + "01" + self.pump.barcode + "11260315" + "17280131" + "10VL-77" + GS \
            + "21SN-001"
        self.assertAccepted(screen, raw, "New serial SN-001", "1 of 3")
        lot = self.lot(self.pump, "SN-001")
        self.assertEqual(lot.production_date, "2026-03-15")
        self.assertEqual(lot.expiry_date, "2028-01-31")
        self.assertEqual(lot.vendor_lot, "VL-77")
        # the human-readable form and a plain label without the symbology identifier
        self.assertAccepted(screen, "(01)%s(21)SN-002" % self.pump.barcode, "2 of 3")
        self.assertAccepted(screen, "01%s21SN-003" % self.pump.barcode, "3 of 3")
        self.assertEqual((screen.done_qty, screen.scan_count), (3, 3))
        self.assertEqual(screen.last_lot_id, self.lot(self.pump, "SN-003"))
        lines = picking.move_line_ids
        # the host made one line per unit: they were filled, none added
        self.assertEqual(len(lines), 3)
        self.assertEqual(sorted(lines.mapped("lot_id.name")), ["SN-001", "SN-002", "SN-003"])
        self.assertEqual(lines.mapped("qty_done"), [1.0, 1.0, 1.0])
        self.assertEqual(screen.action_validate()["type"], "ir.actions.act_window_close")
        self.assertEqual(picking.state, "done")
        self.assertEqual(lot.product_qty, 1)

    def test_product_barcode_then_plain_serials(self):
        picking = self.receipt([(self.pump, 2), (self.mcu, 2)])
        screen = self.open_scan(picking)
        # a plain serial is ambiguous here: two serial products are expected
        self.assertRefused(screen, "X-1", "scan the product's barcode first")
        # the EAN-13 spelling of the GTIN selects the product too
        self.assertAccepted(screen, self.mcu.barcode[1:], "T MCU", "now scan")
        self.assertEqual(screen.product_id, self.mcu)
        self.assertAccepted(screen, "X-1", "New serial X-1", "1 of 2")
        self.assertAccepted(screen, "X-2", "2 of 2")
        self.assertEqual(self.lot(self.mcu, "X-1").product_id, self.mcu)
        self.assertRefused(screen, "X-3", "All 2 of T MCU")

    def test_single_product_receipt_takes_plain_serials(self):
        picking = self.receipt([(self.mcu, 2)])
        screen = self.open_scan(picking)
        self.assertAccepted(screen, "Y-1", "New serial Y-1")
        self.assertEqual(self.lot(self.mcu, "Y-1").product_id, self.mcu)

    def test_lots_with_count_and_untracked_units(self):
        picking = self.receipt([(self.cap, 50), (self.hsg, 2)])
        screen = self.open_scan(picking)
        self.assertRefused(screen, self.label(self.cap, lot="C9", **{"30": "60"}),
                           "would make 60", "asks for 50")
        self.assertAccepted(screen, self.label(self.cap, lot="C9", **{"30": "20"}),
                            "New lot C9 (+20)", "20 of 50")
        self.assertAccepted(screen, self.label(self.cap, lot="C9", **{"30": "30"}),
                            "C9 (+30)", "50 of 50")
        line = picking.move_line_ids.filtered(lambda l: l.product_id == self.cap)
        self.assertEqual(len(line), 1)
        self.assertEqual((line.lot_id.name, line.qty_done), ("C9", 50))
        # an untracked product: each scan of its barcode is one unit
        self.assertAccepted(screen, self.hsg.barcode, "1 of 2")
        self.assertAccepted(screen, self.hsg.barcode, "2 of 2")
        self.assertRefused(screen, self.hsg.barcode, "All 2 of T Housing")
        self.assertEqual(screen.done_qty, 52)

    def test_receipt_refusals(self):
        self.receive_components(cap_lots=("C1",), mcus=2, bat_lots=("B1",))
        picking = self.receipt([(self.mcu, 2)])
        screen = self.open_scan(picking)
        self.assertRefused(screen, self.label(self.mcu, serial="M1"), "M1", "already in stock")
        unknown = gtin(999)
        self.assertRefused(screen, "(01)%s(21)Z-1" % unknown, "Unknown product", unknown)
        self.assertRefused(screen, self.label(self.pump, serial="P-1"),
                           "T Pump is not to be moved")
        self.assertRefused(screen, "(01)%s(21)BAD" % self.mcu.barcode[:-1] + "0",
                           "cannot be read")
        self.assertRefused(screen, "]d2" + "21" + "A" * 25, "cannot be read")
        # a GS1 label whose separator the scanner lost: not taken as a new serial
        self.assertRefused(screen, "21SERIAL-LONG-9" + "01" + self.mcu.barcode,
                           "cannot become a new serial", "separators (FNC1) did not arrive")
        self.assertAccepted(screen, self.label(self.mcu, serial="M9"))
        self.assertRefused(screen, self.label(self.mcu, serial="M9"), "M9 is already scanned")
        # a serial of another product, after selecting a product by its barcode
        self.assertAccepted(screen, self.mcu.barcode, "now scan")
        self.assertRefused(screen, "C1", "C1 is a serial/lot of T Capacitor, not of T MCU")
        done = picking.move_line_ids.filtered("qty_done")
        self.assertEqual(done.mapped("lot_id.name"), ["M9"])

    def test_refusal_of_a_done_transfer(self):
        picking = self.receipt([(self.mcu, 1)])
        screen = self.open_scan(picking)
        self.assertAccepted(screen, self.label(self.mcu, serial="D-1"))
        screen.action_validate()
        self.assertRefused(screen, self.label(self.mcu, serial="D-2"), "no longer waiting")
        with self.assertRaises(UserError):
            picking.sudo(self.stock_user).action_serial_scan()

    def test_scan_through_the_web_clients_onchange(self):
        """What the browser sends: an onchange of ``_barcode_scanned`` on the saved
        screen, in the ORM's draft mode. The scan must still be written."""
        picking = self.receipt([(self.mcu, 2)])
        screen = self.open_scan(picking)
        Screen = self.env["serial.picking.scan"].sudo(self.stock_user)
        spec = Screen._onchange_spec()
        values = screen.read([n for n in spec if "." not in n])[0]
        values = {k: (v[0] if isinstance(v, tuple) else v) for k, v in values.items()
                  if k != "id"}
        values["_barcode_scanned"] = self.label(self.mcu, serial="W-1")
        result = screen.onchange(values, "_barcode_scanned", spec)["value"]
        self.assertEqual(result["scan_status"], "ok", result.get("scan_message"))
        self.assertEqual(result["done_qty"], 1)
        self.assertEqual(result["_barcode_scanned"], "")
        picking.invalidate_cache()
        line = picking.move_line_ids.filtered("qty_done")
        self.assertEqual((line.lot_id.name, line.lot_name, line.qty_done), ("W-1", "W-1", 1))
        # typed by hand in the screen's input instead
        values.update(_barcode_scanned="", done_qty=1, scan_code="W-2")
        result = screen.onchange(values, "scan_code", spec)["value"]
        self.assertEqual(result["scan_status"], "ok", result.get("scan_message"))
        self.assertFalse(result["scan_code"])
        self.assertEqual(len(picking.move_line_ids.filtered("qty_done")), 2)
        # a refusal in the onchange writes nothing either
        before = self.state_of(picking)
        values.update(scan_code="W-2")
        result = screen.onchange(values, "scan_code", spec)["value"]
        self.assertEqual(result["scan_status"], "refused")
        self.assertEqual(self.state_of(picking), before)


class TestScanDelivery(ScanCase):

    @classmethod
    def setUpClass(cls):
        super(TestScanDelivery, cls).setUpClass()
        cls.flow._receive(cls.supplier, [(cls.pump, 1, "U-%d" % i) for i in range(1, 6)]
                          + [(cls.bat, 10, "B1"), (cls.bat, 10, "B2")])

    def test_ship_scanned_units(self):
        picking = self.delivery([(self.pump, 2), (self.bat, 4)])
        reserved = picking.move_line_ids.filtered(lambda l: l.product_id == self.pump)
        self.assertEqual(len(reserved), 2)
        # U-5 is most likely not the reserved one: the host moves the reservation
        self.assertAccepted(self.open_scan(picking), self.label(self.pump, serial="U-5"))
        screen = self.open_scan(picking)
        self.assertAccepted(screen, "(01)%s(21)U-3" % self.pump.barcode, "2 of 2")
        self.assertRefused(screen, self.label(self.pump, serial="U-1"), "All 2 of T Pump")
        self.assertAccepted(screen, self.label(self.bat, lot="B2", **{"30": "4"}), "4 of 4")
        pumps = picking.move_line_ids.filtered(lambda l: l.product_id == self.pump)
        self.assertEqual(sorted(pumps.mapped("lot_id.name")), ["U-3", "U-5"])
        self.assertEqual(sum(pumps.mapped("product_uom_qty")), 2, "reservation kept")
        result = screen.action_validate()
        if result.get("res_model") == "stock.backorder.confirmation":
            self.fail("nothing should be left: %s" % result)
        self.assertEqual(picking.state, "done")
        self.assertEqual(self.lot(self.pump, "U-5").product_qty, 0)
        # a shipped unit cannot be shipped again
        again = self.open_scan(self.delivery([(self.pump, 1)]))
        self.assertRefused(again, self.label(self.pump, serial="U-5"), "U-5 is not in stock")

    def test_delivery_refusals(self):
        picking = self.delivery([(self.pump, 1)])
        screen = self.open_scan(picking)
        self.assertRefused(screen, self.label(self.pump, serial="NOPE"),
                           "Unknown serial or lot NOPE")
        self.assertRefused(screen, "NOPE", "Unknown serial or lot NOPE")
        self.assertRefused(screen, "B1", "B1 is a serial/lot of T Battery, which this "
                                         "transfer does not move")
        self.assertAccepted(screen, "U-2", "U-2", "1 of 1")
        self.assertRefused(screen, "U-2", "already scanned")

    def test_held_and_recalled_units(self):
        held = self.lot(self.pump, "U-4")
        held._put_on_hold("Cracked housing found at incoming inspection")
        picking = self.delivery([(self.pump, 1)])
        screen = self.open_scan(picking)
        self.assertRefused(screen, self.label(self.pump, serial="U-4"), "U-4", "quality hold",
                           "Cracked housing")
        # moving it inside the warehouse (to quarantine) is allowed, with a warning
        internal = self.picking(self.warehouse.int_type_id, [(self.pump, 1)])
        self.assertAccepted(self.open_scan(internal), "U-4", "quality hold",
                            status="warning")
        recalled = self.lot(self.pump, "U-1")
        recall = self.env["serial.recall"].create({
            "reason": "Suspect batch", "suspect_lot_ids": [(6, 0, recalled.ids)],
            "include_suspect_stock": True})
        recall._fill_lines()  # lines come from the scope query only
        recall.action_open()
        message = self.assertRefused(screen, self.label(self.pump, serial="U-1"), "U-1")
        self.assertTrue("recall" in message or "hold" in message, message)

    def test_held_unit_in_quarantine_is_refused_for_the_hold(self):
        """A held unit moved out of the shipping stock (to quarantine) is refused for its
        hold, the reason that matters, not only because it is elsewhere."""
        held = self.lot(self.pump, "U-4")
        held._put_on_hold("Cracked housing found at incoming inspection")
        quarantine = self.env["stock.location"].create({
            "name": "T Quarantine", "usage": "internal",
            "location_id": self.warehouse.view_location_id.id})
        self.flow._transfer(self.warehouse.int_type_id, None, [(self.pump, 1, held)],
                            location=self.warehouse.lot_stock_id, location_dest=quarantine)
        self.assertEqual(held.current_location_id, quarantine)
        screen = self.open_scan(self.delivery([(self.pump, 1)]))
        message = self.assertRefused(screen, self.label(self.pump, serial="U-4"), "U-4",
                                     "quality hold", "Cracked housing")
        self.assertNotIn("not in stock", message)


class TestScanCost(ScanCase):

    def test_500_serials_each_scan_costs_the_same(self):
        """A receipt of 500 serials scanned one by one: the 490th scan runs as many
        queries as the 10th (within 2), counted on the cursor, not timed."""
        picking = self.receipt([(self.mcu, 500)])
        screen = self.open_scan(picking)
        cr = self.env.cr
        counts = {}
        for number in range(1, 501):
            before = cr.sql_log_count
            screen.on_barcode_scanned(self.label(self.mcu, serial="Q%04d" % number))
            counts[number] = cr.sql_log_count - before
            self.assertEqual(screen.scan_status, "ok", screen.scan_message)
        self.assertLessEqual(abs(counts[490] - counts[10]), 2, counts)
        self.assertLessEqual(max(counts[n] for n in range(10, 501)) - counts[10], 4, counts)
        self.assertEqual(screen.done_qty, 500)
        self.assertEqual(len(picking.move_line_ids), 500)
        self.assertFalse(picking.move_line_ids.filtered(lambda l: not l.lot_id))

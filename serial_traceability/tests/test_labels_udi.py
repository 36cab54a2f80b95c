# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""UDI on labels (issue 17 item 6): (11) production date and the manufacturer on the
labels, and the thermal GS1 DataMatrix variant, printed for real (wkhtmltopdf), read
with pdftotext, rasterised at 300 dpi and decoded with dmtxread (Debian dmtx-utils)."""
import glob
import os
import shutil
import subprocess
import tempfile

from odoo import fields
from odoo.exceptions import AccessError

from ..lib import gs1
from . import pdf_common, test_labels
from .test_serial_generation import SerialGenerationCase, gtin

GS = gs1.GS
DM_REPORT = "serial_traceability.serial_label_dm"


class TestLabelsUdi(SerialGenerationCase):

    # the printing and scanning helpers of the GS1-128 label tests (the module, not the
    # class, is imported: a TestCase in this namespace would run its tests again)
    pdf = test_labels.TestLabels.pdf
    pdftotext = test_labels.TestLabels.pdftotext

    @classmethod
    def setUpClass(cls):
        super(TestLabelsUdi, cls).setUpClass()
        cls.workdir = tempfile.mkdtemp(prefix="st_labels_udi_")
        cls.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:1")
        cls.env.user.company_id.name = "T Medical Devices GmbH"
        cls.pump.barcode = gtin("950612345077")
        cls.plain_part = cls.env["product.product"].create({
            "name": "T Bracket", "type": "product", "tracking": "serial",
            "serial_pattern": "BR/{seq:4}"})
        cls.bad_gtin_part = cls.env["product.product"].create({
            "name": "T Clip", "type": "product", "tracking": "serial",
            "barcode": "12345678", "serial_pattern": "CL{seq:4}"})

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.workdir, ignore_errors=True)
        super(TestLabelsUdi, cls).tearDownClass()

    def dmtxread(self, content):
        """What dmtxread decodes on each page, FNC1 shown as GS (``-G 29``): GS1
        DataMatrix then starts with GS (a scanner sends ``]d2`` there)."""
        pages_dir = tempfile.mkdtemp(dir=self.workdir)
        path = os.path.join(pages_dir, "labels.pdf")
        with open(path, "wb") as out:
            out.write(content)
        subprocess.check_call(["pdftoppm", "-r", "300", "-png", path,
                               os.path.join(pages_dir, "page")])
        found = []
        for page in sorted(glob.glob(os.path.join(pages_dir, "page-*.png"))):
            result = subprocess.run(["dmtxread", "-G", "29", "-N", "1", "-m", "60000", page],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            found.append(result.stdout.decode("latin-1"))
        return found

    def built_pump(self):
        """PUMP-1, built through the produce wizard and marked done."""
        self.receive_components(cap_lots=("C1",), mcus=1)
        self.build_pcbs([("PCB-1", [("C1", 2)], "M1")])
        mo = self.build_pumps([("PUMP-1", "PCB-1", "B1")])
        pump = self.lot(self.pump, "PUMP-1")
        self.assertEqual(pump.production_id, mo)
        self.assertEqual(mo.state, "done")
        return pump, fields.Datetime.from_string(mo.date_finished).date()

    def test_built_unit_label_has_production_date_and_manufacturer(self):
        pump, made = self.built_pump()
        yymmdd = made.strftime("%y%m%d")
        content = self.pdf("serial_label_thermal_report", pump, user=self.stock_user)
        text = self.pdftotext(content)
        hri = "(01)%s(11)%s(21)PUMP-1" % (self.pump.barcode, yymmdd)
        self.assertIn(hri, text)
        self.assertIn("MFG %s" % made.isoformat(), text)
        self.assertIn("Manufacturer: T Medical Devices GmbH", text)
        [(symbology, is_gs1, decoded)] = pdf_common.scan_barcodes(content, self.workdir)
        self.assertEqual((symbology, is_gs1), ("CODE-128", True))
        self.assertEqual(decoded, "01%s11%s21PUMP-1" % (self.pump.barcode, yymmdd))
        self.assertEqual(gs1.parse(decoded).production_date, made)
        # the lot's own production date (as on a supplier label) comes first
        pump.production_date = "2026-03-04"
        text = self.pdftotext(self.pdf("serial_label_a4_report", pump, user=self.stock_user))
        self.assertIn("(01)%s(11)260304(21)PUMP-1" % self.pump.barcode, text)
        self.assertIn("Manufacturer: T Medical Devices GmbH", text)

    def test_unit_not_built_yet_gets_no_production_date(self):
        lot = self.Lot.browse(self.Lot.generate_serials(self.sensor.id, 1))
        text = self.pdftotext(self.pdf("serial_label_thermal_report", lot))
        self.assertIn("(01)%s(21)%s" % (self.sensor.barcode, lot.name), text)
        self.assertNotIn("(11)", text)
        self.assertNotIn("MFG", text)
        self.assertIn("Manufacturer: T Medical Devices GmbH", text)

    def test_datamatrix_label_decodes_to_the_element_string_and_is_logged(self):
        pump, made = self.built_pump()
        sensor = self.Lot.browse(self.Lot.generate_serials(self.sensor.id, 1))
        sensor.expiry_date = "2029-02-28"
        lots = pump | sensor
        content = self.pdf("serial_label_dm_report", lots,
                           user=self.stock_user)
        expected = [
            gs1.build_element_string([("01", self.pump.barcode), ("11", made),
                                      ("21", "PUMP-1")]),
            gs1.build_element_string([("01", self.sensor.barcode), ("17", "290228"),
                                      ("21", sensor.name)]),
        ]
        self.assertEqual(self.dmtxread(content), [GS + data for data in expected])
        self.assertEqual(gs1.parse("]d2" + expected[0]).serial, "PUMP-1")
        self.assertEqual(self.Lot.sudo(self.stock_user).find_by_scan(
            "]d2" + expected[1])["lot_ids"], sensor.ids)
        text = self.pdftotext(content)
        self.assertIn("(01)%s(11)%s(21)PUMP-1" % (self.pump.barcode, made.strftime("%y%m%d")),
                      text)
        self.assertIn("(01)%s(17)290228(21)%s" % (self.sensor.barcode, sensor.name), text)
        self.assertEqual(text.count("Manufacturer: T Medical Devices GmbH"), 2)
        self.assertIn("EXP 2029-02-28", text)
        self.assertNotIn("too small", text)
        # the label log names the DataMatrix report; a GS1-128 print after it is a reprint
        Log = self.env["serial.label.log"]
        logs = Log.search([("lot_id", "in", lots.ids)], order="id")
        self.assertEqual(logs.mapped("report_name"), [DM_REPORT, DM_REPORT])
        self.assertEqual(logs.mapped("element_string"), expected)
        self.assertEqual(logs.mapped("user_id"), self.stock_user + self.stock_user)
        self.assertFalse(any(logs.mapped("reprint")))
        self.pdf("serial_label_thermal_report", pump, user=self.stock_user)
        again = Log.search([("lot_id", "=", pump.id)], order="id")[-1]
        self.assertEqual((again.report_name, again.copy_number, again.reprint),
                         ("serial_traceability.serial_label_thermal", 2, True))

    def test_datamatrix_without_gtin_has_no_01_like_the_gs1_128_label(self):
        bracket = self.Lot.browse(self.Lot.generate_serials(self.plain_part.id, 1))
        clip = self.Lot.browse(self.Lot.generate_serials(self.bad_gtin_part.id, 1))
        content = self.pdf("serial_label_dm_report", bracket | clip)
        # a plain DataMatrix of the number: no leading FNC1, so no GS in front
        self.assertEqual(self.dmtxread(content), [bracket.name, clip.name])
        text = self.pdftotext(content)
        self.assertNotIn("(01)", text)
        self.assertIn("SN %s" % bracket.name, text)
        self.assertIn("The product barcode 12345678 is not a valid GTIN", text)
        logs = self.env["serial.label.log"].search(
            [("lot_id", "in", (bracket | clip).ids)], order="id")
        self.assertEqual(logs.mapped("element_string"), [bracket.name, clip.name])
        self.assertEqual(set(logs.mapped("report_name")), {DM_REPORT})

    def test_datamatrix_labels_print_from_an_mo_and_a_receipt(self):
        mo = self.flow._start_production(self.meter, 2, self.meter_bom)
        content = self.pdf("serial_label_dm_production_report", mo,
                           user=self.mrp_user)
        # no GTIN on the meter: plain DataMatrix; the MO is not done: no MFG yet
        self.assertEqual(self.dmtxread(content), ["MTR-0001", "MTR-0002"])
        self.assertNotIn("MFG", self.pdftotext(content))
        picking = self.receipt([(self.sensor, 2)])
        self.generate(picking, self.stock_user)
        lots = picking._serial_label_lots()
        content = self.pdf("serial_label_dm_picking_report", picking,
                           user=self.stock_user)
        self.assertEqual(self.dmtxread(content), [
            GS + gs1.build_element_string([("01", self.sensor.barcode), ("21", lot.name)])
            for lot in lots])
        self.assertEqual(set(self.env["serial.label.log"].search(
            [("lot_id", "in", lots.ids)]).mapped("report_name")),
            {DM_REPORT + "_picking"})

    def test_datamatrix_printing_needs_read_access_to_the_units(self):
        lot = self.Lot.browse(self.Lot.generate_serials(self.sensor.id, 1))
        report = self.env.ref("serial_traceability.serial_label_dm_report")
        with self.assertRaises(AccessError):
            report.sudo(self.plain_user).render_qweb_html(lot.ids)
        self.assertFalse(self.env["serial.label.log"].search([("lot_id", "=", lot.id)]))
        html = report.sudo(self.stock_user).render_qweb_html(lot.ids)[0]
        self.assertIn(b"data:image/svg+xml;base64,", html)

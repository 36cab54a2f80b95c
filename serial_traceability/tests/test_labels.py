# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Labels are printed for real (wkhtmltopdf), read back with pdftotext, rasterised at
300 dpi with pdftoppm and scanned with zbarimg, as a scanner at the dock would."""
import os
import shutil
import subprocess
import tempfile

from odoo.exceptions import AccessError

from ..lib import gs1
from . import pdf_common
from .test_serial_generation import SerialGenerationCase, gtin


class TestLabels(SerialGenerationCase):

    @classmethod
    def setUpClass(cls):
        super(TestLabels, cls).setUpClass()
        cls.workdir = tempfile.mkdtemp(prefix="st_labels_")
        # wkhtmltopdf fetches the report CSS over HTTP: point it at a port where nothing
        # listens (the labels carry their own styles) instead of someone's server
        cls.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:1")
        cls.cap = cls.env["product.product"].create({
            "name": "T Capsule", "type": "product", "tracking": "lot",
            "barcode": gtin("950612345002"), "serial_pattern": "CAPS{seq:5}"})
        cls.plain_part = cls.env["product.product"].create({
            "name": "T Bracket", "type": "product", "tracking": "serial",
            "serial_pattern": "BR/{seq:4}"})

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.workdir, ignore_errors=True)
        super(TestLabels, cls).tearDownClass()

    def pdf(self, xmlid, records, user=None):
        report = self.env.ref("serial_traceability." + xmlid)
        if user:
            report = report.sudo(user)
        with pdf_common.real_pdf(self.workdir):
            content, kind = report.render_qweb_pdf(records.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        return content

    def pdftotext(self, content):
        path = os.path.join(self.workdir, "text.pdf")
        with open(path, "wb") as out:
            out.write(content)
        return subprocess.check_output(["pdftotext", "-layout", path, "-"]).decode()

    def test_receipt_of_100_serials_prints_100_labels_that_scan_right(self):
        picking = self.receipt([(self.sensor, 100)])
        action = self.generate(picking, self.stock_user, print_labels=True)
        self.assertEqual(action["report_name"], "serial_traceability.serial_label_thermal")
        lots = self.Lot.browse(action["context"]["active_ids"])
        self.assertEqual(len(lots), 100)
        self.assertEqual(lots, picking._serial_label_lots())
        content = self.pdf("serial_label_a4_picking_report", picking, user=self.stock_user)
        expected = sorted(("CODE-128", True, gs1.build_element_string(
            [("01", self.sensor.barcode), ("21", lot.name)])) for lot in lots)
        self.assertEqual(sorted(pdf_common.scan_barcodes(content, self.workdir)), expected)
        text = self.pdftotext(content)
        self.assertEqual(text.count("T Sensor"), 100)
        for lot in lots[:3] + lots[-3:]:
            self.assertIn("(01)%s(21)%s" % (self.sensor.barcode, lot.name), text)

    def test_thermal_label_decodes_to_the_gs1_string_that_finds_the_unit(self):
        lot = self.Lot.browse(self.Lot.generate_serials(self.sensor.id, 1))
        content = self.pdf("serial_label_thermal_report", lot, user=self.stock_user)
        hri = "(01)%s(21)%s" % (self.sensor.barcode, lot.name)
        text = self.pdftotext(content)
        self.assertIn(hri, text)
        self.assertIn("T Sensor", text)
        self.assertIn("SN %s" % lot.name, text)
        [(symbology, is_gs1, decoded)] = pdf_common.scan_barcodes(content, self.workdir)
        self.assertEqual((symbology, is_gs1), ("CODE-128", True))
        self.assertEqual(decoded, "01" + self.sensor.barcode + "21" + lot.name)
        self.assertEqual(gs1.parse(decoded).serial, lot.name)
        Lot = self.Lot.sudo(self.stock_user)
        # as a scanner sends it: symbology identifier ]C1 for GS1-128
        self.assertEqual(Lot.find_by_scan("]C1" + decoded)["lot_ids"], lot.ids)
        self.assertEqual(Lot.find_by_scan(hri)["lot_ids"], lot.ids)

    def test_lot_label_has_ai_10_and_products_without_gtin_get_code128(self):
        cap_lot = self.Lot.browse(self.Lot.generate_serials(self.cap.id, 1))
        bracket = self.Lot.browse(self.Lot.generate_serials(self.plain_part.id, 1))
        content = self.pdf("serial_label_thermal_report", cap_lot | bracket)
        found = pdf_common.scan_barcodes(content, self.workdir)
        self.assertIn(("CODE-128", True, "01" + self.cap.barcode + "10" + cap_lot.name), found)
        self.assertIn(("CODE-128", False, bracket.name), found)
        self.assertEqual(len(found), 2)
        text = self.pdftotext(content)
        self.assertIn("(01)%s(10)%s" % (self.cap.barcode, cap_lot.name), text)
        self.assertIn("LOT %s" % cap_lot.name, text)
        self.assertIn("SN %s" % bracket.name, text)

    def test_labels_print_from_an_mo(self):
        mo = self.flow._start_production(self.meter, 2, self.meter_bom)
        action = mo.sudo(self.mrp_user).action_print_serial_labels()
        self.assertEqual(self.Lot.browse(action["context"]["active_ids"]).mapped("name"),
                         ["MTR-0001", "MTR-0002"])
        content = self.pdf("serial_label_thermal_production_report", mo, user=self.mrp_user)
        found = pdf_common.scan_barcodes(content, self.workdir)
        self.assertEqual(sorted(s[2] for s in found), ["MTR-0001", "MTR-0002"])

    def test_expiry_goes_into_ai_17_when_the_database_knows_it(self):
        lot = self.Lot.browse(self.Lot.generate_serials(self.cap.id, 1))
        field = lot._fields.get("expiry_date")
        if field is not None and field.type in ("date", "datetime") and not field.compute:
            lot.expiry_date = "2027-05-31" if field.type == "date" else "2027-05-31 12:00:00"
        label = self.env["serial.label"]._label_data(lot, "thermal")[0]
        expiry = self.env["serial.label"]._label_expiry(lot)
        if field is not None and not field.compute:
            self.assertEqual(expiry.isoformat(), "2027-05-31")
        if expiry:
            self.assertEqual(label["hri"], "(01)%s(17)%s(10)%s" % (
                self.cap.barcode, expiry.strftime("%y%m%d"), lot.name))
            [(_type, is_gs1, decoded)] = pdf_common.scan_barcodes(
                self.pdf("serial_label_thermal_report", lot), self.workdir)
            self.assertTrue(is_gs1)
            self.assertEqual(decoded, "01%s17%s10%s" % (
                self.cap.barcode, expiry.strftime("%y%m%d"), lot.name))
            self.assertEqual(gs1.parse(decoded).expiry_date, expiry)
        else:
            self.assertEqual(label["hri"], "(01)%s(10)%s" % (self.cap.barcode, lot.name))
        self.assertTrue(label["readable"])

    def test_printing_needs_read_access_to_the_units(self):
        lot = self.Lot.browse(self.Lot.generate_serials(self.sensor.id, 1))
        report = self.env.ref("serial_traceability.serial_label_thermal_report")
        with self.assertRaises(AccessError):
            report.sudo(self.plain_user).render_qweb_html(lot.ids)

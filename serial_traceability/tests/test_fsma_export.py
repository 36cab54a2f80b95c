# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""FSMA 204 on request: the critical tracking events spreadsheet, on rows made
through the host's flows (receipt of a lot-tracked ingredient, an MO transforming
it, a delivery)."""
import datetime
import io

import openpyxl

from odoo import fields
from odoo.exceptions import AccessError, UserError

from ..reports.serial_fsma_xlsx import COLUMNS
from .recall_common import RecallCase

HEADERS = [header for header, _key, _width, _kind in COLUMNS]


class TestFsmaExport(RecallCase):

    @classmethod
    def setUpClass(cls):
        super(TestFsmaExport, cls).setUpClass()
        kg = cls.env.ref("product.product_uom_kgm")
        cls.supplier.write({"street": "7 Mill Lane", "city": "Fresno", "zip": "93650"})
        cls.flour = cls.env["product.product"].create({
            "name": "T Flour", "type": "product", "tracking": "lot", "default_code": "FL",
            "uom_id": kg.id, "uom_po_id": kg.id, "fsma_food_traceability": True})
        cls.bread = cls._product("T Bread", "lot")
        cls.bread.fsma_food_traceability = True
        cls.bread_bom = cls.env["mrp.bom"].create({
            "product_tmpl_id": cls.bread.product_tmpl_id.id, "product_id": cls.bread.id,
            "product_qty": 1})
        cls.env["mrp.bom.line"].create({"bom_id": cls.bread_bom.id, "product_id": cls.flour.id,
                                        "product_qty": 0.5, "product_uom_id": kg.id})
        cls.receipt = cls.flow._receive(cls.supplier, [(cls.flour, 10, "F1")])
        mo = cls.flow._start_production(cls.bread, 4, cls.bread_bom)
        cls.flow._produce(mo, 4, "BR1", [(cls.flour, 2, "F1")])
        cls.mo = cls.flow._finish(mo)
        cls.delivery = cls.flow._deliver(cls.customer_a, [(cls.bread, 3, "BR1")])
        cls.today = fields.Date.from_string(fields.Date.today())

    def day(self, delta):
        return fields.Date.to_string(self.today + datetime.timedelta(days=delta))

    def wizard(self, user=None, **vals):
        vals.setdefault("food_traceability_list", True)
        vals.setdefault("date_from", self.day(-1))
        vals.setdefault("date_to", self.day(0))
        return self.env["serial.fsma.export.wizard"].sudo(user or self.trace_user).create(vals)

    def export(self, wizard):
        action = wizard.action_export()
        self.assertEqual((action["report_type"], action["report_name"]),
                         ("xlsx", "serial_traceability.fsma_xlsx"))
        report = self.env.ref("serial_traceability.serial_fsma_xlsx_report").sudo(
            wizard.env.user)
        data, fmt = report.render_xlsx(wizard.ids, {})
        self.assertEqual(fmt, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(list(rows[0]), HEADERS)
        self.assertFalse(sheet.merged_cells.ranges)
        return [dict(zip(HEADERS, row)) for row in rows[1:]]

    @staticmethod
    def by_event(rows):
        return {(r["Critical tracking event"], r["Traceability lot code"]): r for r in rows}

    def test_one_row_per_event_with_its_key_data_elements(self):
        rows = self.export(self.wizard())
        events = self.by_event(rows)
        self.assertEqual(len(rows), 4)
        self.assertEqual(set(events), {
            ("Receiving", "F1"), ("Transformation (input)", "F1"),
            ("Transformation (output)", "BR1"), ("Shipping", "BR1")})
        company = self.env.user.company_id.partner_id.name
        rec = events[("Receiving", "F1")]
        self.assertEqual(rec["Traceability lot code source"], "T Supplier")
        self.assertIn("7 Mill Lane", rec["Location description of the TLC source"])
        self.assertIn("Fresno", rec["Ship-from location"])
        self.assertIn(company, rec["Ship-to location"])
        self.assertEqual((rec["Product description"], rec["Quantity"], rec["Unit of measure"]),
                         ("[FL] T Flour", 10, self.flour.uom_id.name))
        self.assertEqual((rec["Reference document type"], rec["Reference document number"]),
                         ("Receipt", self.receipt.name))
        self.assertIsInstance(rec["Event date"], datetime.datetime)
        self.assertIsInstance(rec["Quantity"], (int, float))

        used = events[("Transformation (input)", "F1")]
        self.assertEqual((used["Quantity"], used["Reference document type"],
                          used["Reference document number"],
                          used["Output lot code (transformation)"]),
                         (2, "Manufacturing order", self.mo.name, "BR1"))
        self.assertEqual(used["Traceability lot code source"], "T Supplier")

        made = events[("Transformation (output)", "BR1")]
        self.assertEqual((made["Quantity"], made["Reference document number"],
                          made["Input lot codes (transformation)"]), (4, self.mo.name, "F1"))
        self.assertEqual(made["Traceability lot code source"], company)
        production = self.bread.property_stock_production.complete_name
        self.assertIn(production, made["Location description of the TLC source"])

        ship = events[("Shipping", "BR1")]
        self.assertEqual((ship["Quantity"], ship["Reference document type"],
                          ship["Reference document number"]),
                         (3, "Delivery order", self.delivery.name))
        self.assertIn("T Hospital A", ship["Ship-to location"])
        self.assertIn("1 Infirmary Road", ship["Ship-to location"])
        self.assertIn(company, ship["Ship-from location"])
        self.assertEqual(ship["Traceability lot code source"], company)

    def test_chosen_products_only(self):
        rows = self.export(self.wizard(food_traceability_list=False,
                                       product_ids=[(6, 0, self.flour.ids)]))
        self.assertEqual(sorted(r["Critical tracking event"] for r in rows),
                         ["Receiving", "Transformation (input)"])

    def test_lot_code_filter(self):
        rows = self.export(self.wizard(
            food_traceability_list=False, lot_ids=[(6, 0, self.lot(self.bread, "BR1").ids)]))
        self.assertEqual(set(self.by_event(rows)), {("Transformation (output)", "BR1"),
                                                    ("Shipping", "BR1")})

    def test_date_range_filter(self):
        self.receipt.move_line_ids.write({"date": fields.Datetime.to_string(
            datetime.datetime.now() - datetime.timedelta(days=10))})
        rows = self.export(self.wizard())
        self.assertNotIn(("Receiving", "F1"), self.by_event(rows))
        self.assertEqual(len(rows), 3)
        rows = self.export(self.wizard(date_from=self.day(-11), date_to=self.day(-9)))
        self.assertEqual(list(self.by_event(rows)), [("Receiving", "F1")])

    def test_empty_range_says_so(self):
        wizard = self.wizard(date_from=self.day(-30), date_to=self.day(-20))
        with self.assertRaisesRegex(UserError, "nothing to export"):
            wizard.action_export()

    def test_bad_input_refused(self):
        with self.assertRaisesRegex(UserError, "is after the last day"):
            self.wizard(date_from=self.day(0), date_to=self.day(-1)).action_export()
        with self.assertRaisesRegex(UserError, "Choose products"):
            self.wizard(food_traceability_list=False).action_export()
        self.flour.fsma_food_traceability = False
        self.bread.fsma_food_traceability = False
        if not self.env["product.product"].search([("fsma_food_traceability", "=", True)]):
            with self.assertRaisesRegex(UserError, "Food Traceability List"):
                self.wizard().action_export()

    def test_stock_user_refused(self):
        wizard = self.wizard(user=self.stock_user)
        with self.assertRaises(AccessError):
            wizard.action_export()
        report = self.env.ref("serial_traceability.serial_fsma_xlsx_report").sudo(
            self.stock_user)
        with self.assertRaises(AccessError):
            report.render_xlsx(wizard.ids, {})

    def test_demo_every_key_data_element_filled(self):
        """On the demo factory (lot-tracked capacitors and batteries, serial PCBs and
        pumps): every row has every KDE column, one header row, typed cells."""
        products = self.env["product.product"]
        for name in ("capacitor", "battery", "pcb", "pump"):
            products |= self.env.ref("serial_traceability.demo_product_" + name)
        rows = self.export(self.wizard(food_traceability_list=False,
                                       product_ids=[(6, 0, products.ids)],
                                       date_from="2000-01-01", date_to=self.day(1)))
        kinds = {r["Critical tracking event"] for r in rows}
        self.assertEqual(kinds, {"Receiving", "Transformation (input)",
                                 "Transformation (output)", "Shipping"})
        for row in rows:
            for header in HEADERS[:12]:
                self.assertNotIn(row[header], (None, ""), "%s of %s" % (header, row))
            self.assertIsInstance(row["Event date"], datetime.datetime)
            self.assertIsInstance(row["Quantity"], (int, float))
        pumps = [r for r in rows if r["Critical tracking event"] == "Transformation (output)"
                 and r["Product description"].startswith("[PUMP-200]")]
        self.assertTrue(pumps)
        self.assertTrue(all(r["Input lot codes (transformation)"] for r in pumps))

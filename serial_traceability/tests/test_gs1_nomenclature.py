# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The host's barcode nomenclature reads GS1 codes through lib/gs1."""
from odoo.tests.common import SavepointCase

from odoo.addons.serial_traceability.lib import gs1

GS = gs1.GS
PUMP_GTIN = "09506000134352"


class TestGs1Nomenclature(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super(TestGs1Nomenclature, cls).setUpClass()
        cls.nomenclature = cls.env.ref("barcodes.default_barcode_nomenclature")
        cls.user = cls.env["res.users"].with_context(no_reset_password=True).create({
            "name": "n_stock_user", "login": "n_stock_user",
            "groups_id": [(6, 0, [cls.env.ref("stock.group_stock_user").id])]})

    def parse(self, code, nomenclature=None):
        return (nomenclature or self.nomenclature).sudo(self.user).parse_barcode(code)

    def test_default_nomenclature_has_the_gs1_rule(self):
        rule = self.env.ref("serial_traceability.barcode_rule_gs1")
        self.assertEqual(rule.barcode_nomenclature_id, self.nomenclature)
        self.assertEqual((rule.encoding, rule.type), ("gs1", "gs1"))
        product_rule = self.env.ref("barcodes.barcode_rule_product")
        self.assertLess(rule.sequence, product_rule.sequence)

    def test_raw_code_with_symbology_and_fnc1(self):
        code = "]d2" + "01" + PUMP_GTIN + "17280131" + "10BATCH-1" + GS + "21PUMP-0008"
        result = self.parse(code)
        self.assertEqual(result["encoding"], "gs1")
        self.assertEqual(result["type"], "gs1")
        self.assertEqual(result["code"], code)
        self.assertEqual(result["gs1"], {"01": PUMP_GTIN, "17": "280131", "10": "BATCH-1",
                                         "21": "PUMP-0008"})

    def test_human_readable_and_bare_forms(self):
        for code in ("(01)%s(21)PUMP-0008" % PUMP_GTIN, "01%s21PUMP-0008" % PUMP_GTIN,
                     "]C1" + "01%s21PUMP-0008" % PUMP_GTIN):
            result = self.parse(code)
            self.assertEqual(result["type"], "gs1", code)
            self.assertEqual(result["gs1"], {"01": PUMP_GTIN, "21": "PUMP-0008"}, code)

    def test_other_barcodes_keep_the_host_rules(self):
        for code in ("9506000134352", PUMP_GTIN, "PUMP-0008", "]E0" + "9506000134352"):
            result = self.parse(code)
            self.assertEqual(result["type"], "product", code)
            self.assertNotIn("gs1", result)
            self.assertEqual(result["code"], code)

    def test_unreadable_gs1_is_an_error_with_the_reason(self):
        wrong_check = "(01)09506000134353(21)X"
        result = self.parse(wrong_check)
        self.assertEqual(result["type"], "error")
        self.assertIn("check digit", result["gs1_error"])
        # the scanner dropped the GS after the lot: the lot runs into the serial
        dropped = "]d2" + "01" + PUMP_GTIN + "10BATCH-0001-LONGER" + "21PUMP-0008"
        result = self.parse(dropped)
        self.assertEqual(result["type"], "error")
        self.assertIn("separators between fields seem to be missing", result["gs1_error"])

    def test_nomenclature_without_the_rule_is_unchanged(self):
        plain = self.env["barcode.nomenclature"].create({
            "name": "EAN only", "rule_ids": [(0, 0, {
                "name": "Products", "type": "product", "encoding": "any", "pattern": ".*"})]})
        result = self.parse("(01)%s(21)PUMP-0008" % PUMP_GTIN, plain)
        self.assertEqual((result["encoding"], result["type"]), ("any", "product"))
        self.assertNotIn("gs1", result)
        self.assertTrue(plain.check_encoding("01" + PUMP_GTIN, "gs1"))
        self.assertFalse(plain.check_encoding(PUMP_GTIN, "gs1"))

    def test_rule_order_is_respected(self):
        """A rule placed before the GS1 rule still wins, as in the host."""
        custom = self.env["barcode.nomenclature"].create({
            "name": "Aliases first", "rule_ids": [
                (0, 0, {"name": "Alias", "type": "alias", "encoding": "any",
                        "pattern": "OLD", "alias": "NEW", "sequence": 10}),
                (0, 0, {"name": "GS1", "type": "gs1", "encoding": "gs1", "pattern": ".*",
                        "sequence": 20}),
                (0, 0, {"name": "Products", "type": "product", "encoding": "any",
                        "pattern": ".*", "sequence": 90})]})
        self.assertEqual(self.parse("OLD", custom)["code"], "NEW")
        self.assertEqual(self.parse("01%s21S" % PUMP_GTIN, custom)["gs1"]["21"], "S")

    def test_scan_screens_read_the_same_gs1_elements(self):
        """The scan screens resolve codes through the lot lookup (``find_by_scan``,
        which shares lib/gs1 with the nomenclature): the same elements reach them."""
        product = self.env["product.product"].create({
            "name": "N Pump", "type": "product", "tracking": "serial",
            "barcode": "09506119999996"})
        lot = self.env["stock.production.lot"].create({"name": "N-1",
                                                       "product_id": product.id})
        screens = self.env["serial.picking.scan"].sudo(self.user)
        lots, products, elements = screens._scan_lookup(
            "]d2" + "01" + product.barcode + "21N-1")
        self.assertEqual((lots, products), (lot, product))
        self.assertEqual(elements, {"01": product.barcode, "21": "N-1"})
        lots, products, elements = screens._scan_lookup("N-1")
        self.assertEqual((lots, elements), (lot, {}))
        with self.assertRaises(Exception) as caught:
            screens._scan_lookup("(01)09506119999997(21)N-1")
        self.assertIn("check digit", str(caught.exception))

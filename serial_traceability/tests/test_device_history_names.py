# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The device history record prints product names read in SQL
(``sql/device_history.product_name_columns``): they must be what the host's
``product.product.name_get`` prints, variants and translations included."""
from odoo.tests.common import TransactionCase

from ..models.stock_production_lot_device_history import _product_name
from ..sql import device_history as dhr_sql

NAMES_SQL = """
SELECT pp.id AS product_id, {columns}
  FROM product_product pp JOIN product_template pt ON pt.id = pp.product_tmpl_id
 WHERE pp.id = ANY(%(ids)s)
""".format(columns=dhr_sql.product_name_columns("pp", "pt"))


class TestDeviceHistoryNames(TransactionCase):

    def setUp(self):
        super(TestDeviceHistoryNames, self).setUp()
        Attribute, Value = self.env["product.attribute"], self.env["product.attribute.value"]
        volt, colour = Attribute.create({"name": "Voltage"}), Attribute.create(
            {"name": "Colour", "sequence": 0})
        single = Attribute.create({"name": "Housing"})
        values = {name: Value.create({"name": name, "attribute_id": attribute.id})
                  for name, attribute in (("110 V", volt), ("230 V", volt), ("Red", colour),
                                          ("Blue", colour), ("Steel", single))}
        self.template = self.env["product.template"].create({
            "name": "Variant pump", "attribute_line_ids": [
                (0, 0, {"attribute_id": attribute.id, "value_ids": [
                    (6, 0, [values[name].id for name in names])]})
                for attribute, names in ((volt, ("110 V", "230 V")),
                                         (colour, ("Red", "Blue")), (single, ("Steel",)))]})
        self.template.product_variant_ids[:1].default_code = "VP-1"
        for model_field, res_id, src, value in (
                ("product.template,name", self.template.id, "Variant pump", "Pompe variante"),
                ("product.attribute.value,name", values["Red"].id, "Red", "Rouge")):
            # a language need not be installed for its translations to be read
            self.env.cr.execute(
                "INSERT INTO ir_translation (lang, src, name, type, res_id, value, state)"
                " VALUES ('fr_FR', %s, %s, 'model', %s, %s, 'translated')",
                (src, model_field, res_id, value))

    def test_names_as_name_get_prints_them(self):
        products = self.env["product.product"].search([])
        self.assertEqual(len(self.template.product_variant_ids), 4)
        for lang in (None, "en_US", "fr_FR"):
            with_lang = products.with_context(lang=lang)
            with_lang.invalidate_cache()
            self.env.cr.execute(NAMES_SQL, {"ids": products.ids, "lang": lang})
            ours = {row["product_id"]: _product_name(row)
                    for row in self.env.cr.dictfetchall()}
            self.assertEqual(ours, dict(with_lang.name_get()), lang)
        french = products.with_context(lang="fr_FR")
        self.assertIn("[VP-1] Pompe variante (Rouge, 110 V)", dict(french.name_get()).values())

    def test_a_partner_context_falls_back_to_name_get(self):
        lot = self.env["stock.production.lot"]
        variant = self.template.product_variant_ids[:1]
        row = {"product_id": variant.id, "product_name": "x", "product_code": None,
               "product_variant": None}
        namer = lot.with_context(display_default_code=False)._dhr_product_namer()
        self.assertEqual(namer(row), "Variant pump (Red, 110 V)")
        self.assertEqual(lot._dhr_product_namer()(row), "x")

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""GS1 in the host's nomenclature, so any scan field built on the barcode mixin
receives GS1 codes already split into fields.

``parse_barcode`` keeps the host's contract (``encoding``, ``type``, ``code``,
``base_code``, ``value``) and, when a rule with the GS1 encoding matches, adds
``gs1``: ``{application identifier: value}``, e.g. ``{"01": "09506000134352",
"21": "PUMP-0008"}``. A code that looks like GS1 but cannot be read (a wrong check
digit, a separator the scanner dropped) gives type ``error`` with the reason in
``gs1_error`` instead of falling through to the product rule as an unknown barcode.
"""
from odoo import models

from ..lib import gs1


class BarcodeNomenclature(models.Model):
    _inherit = "barcode.nomenclature"

    def _gs1_rules(self):
        return self.rule_ids.filtered(lambda rule: rule.encoding == "gs1")

    def check_encoding(self, barcode, encoding):
        if encoding == "gs1":
            if not gs1.looks_like_gs1(barcode):
                return False
            try:
                gs1.parse(barcode)
            except gs1.GS1Error:
                return False
            return True
        return super(BarcodeNomenclature, self).check_encoding(barcode, encoding)

    def parse_barcode(self, barcode):
        if isinstance(barcode, str) and self._gs1_rules() and gs1.looks_like_gs1(barcode):
            try:
                elements = gs1.parse(barcode).elements
            except gs1.GS1Error as exc:
                return {"encoding": "gs1", "type": "error", "code": barcode,
                        "base_code": barcode, "value": 0, "gs1_error": str(exc)}
            result = super(BarcodeNomenclature, self).parse_barcode(barcode)
            if result.get("encoding") == "gs1":
                result["gs1"] = dict(elements)
            return result
        return super(BarcodeNomenclature, self).parse_barcode(barcode)

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class BarcodeRule(models.Model):
    """A rule that matches GS1 element strings (GS1-128, DataMatrix, QR) as a whole.

    The host's rules only know EAN/UPC encodings and regular expressions over the
    digits; a GS1 code carries several fields (GTIN, lot, serial, dates) separated by
    FNC1, so the rule hands the code to our parser (see ``barcode.nomenclature``).
    """

    _inherit = "barcode.rule"

    encoding = fields.Selection(selection_add=[("gs1", "GS1 element string")])
    type = fields.Selection(selection_add=[("gs1", "GS1 (product, lot, serial, dates)")])

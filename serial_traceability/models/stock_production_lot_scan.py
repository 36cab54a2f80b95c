# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockProductionLot(models.Model):
    """The dates a supplier's GS1 label carries, kept when the lot is received by a scan.

    Own date fields rather than the host's ``product_expiry`` module: that module has
    no production date (AI 11) and keeps datetimes derived from product lifetimes,
    while a label gives dates; two fields do not justify one more host module in
    every install. The label printer reads ``expiry_date`` for AI 17.
    """

    _inherit = "stock.production.lot"

    production_date = fields.Date(
        "Production date", copy=False,
        help="Date of manufacture, as on the supplier's label (GS1 AI 11).")
    expiry_date = fields.Date(
        "Expiry date", copy=False,
        help="Expiration date, as on the label (GS1 AI 17).")

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    fsma_food_traceability = fields.Boolean(
        "Food Traceability List",
        help="On the FDA Food Traceability List (FSMA 204): the FSMA 204 export can take "
             "every such product at once.")

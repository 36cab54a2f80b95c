# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    serial_release_four_eyes = fields.Boolean(
        "Four-eyes release", default=False,
        help="The Quality Manager who releases units for distribution must not be the "
             "responsible of the manufacturing order that built them.")

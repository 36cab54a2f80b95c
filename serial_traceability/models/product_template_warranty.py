# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    warranty_months = fields.Integer(
        "Warranty (months)",
        help="Length of the warranty of each unit, counted from its first delivery to a "
             "customer. 0: no warranty.")

    @api.constrains("warranty_months")
    def _check_warranty_months(self):
        for template in self:
            if template.warranty_months < 0:
                raise ValidationError(_("The warranty of %s cannot be negative.")
                                      % template.display_name)

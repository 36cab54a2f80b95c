# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ProductCategory(models.Model):
    _name = "product.category"
    _inherit = ["product.category", "serial.pattern.mixin"]

    serial_code = fields.Char(
        "Code for serials",
        help="What {categ} stands for in serial patterns. A subcategory without a code "
             "uses its parent's.")

    @api.multi
    def _serial_lineage(self):
        """This category, then its parent, up to the root."""
        self.ensure_one()
        categ, lineage = self, []
        while categ and categ not in lineage:
            lineage.append(categ)
            categ = categ.parent_id
        return lineage

    @api.multi
    def _serial_pattern_owner(self):
        """The nearest category (self or an ancestor) with a pattern, or an empty set."""
        for categ in self._serial_lineage():
            if categ.serial_pattern:
                return categ
        return self.browse()

    @api.multi
    def _serial_categ_code(self):
        for categ in self._serial_lineage():
            if categ.serial_code:
                return categ.serial_code
        return False

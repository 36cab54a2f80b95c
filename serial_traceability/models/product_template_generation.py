# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

from ..lib import serial_pattern


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "serial.pattern.mixin"]

    serial_preassign_mo = fields.Boolean(
        "Pre-assign serials at MO confirmation",
        help="When a manufacturing order for this product is confirmed, create its "
             "finished serials (one lot for lot tracking) at once and propose them in "
             "order when recording production.")
    serial_pattern_source = fields.Char(
        "Pattern used", compute="_compute_serial_pattern_preview",
        help="Whose pattern numbers this product: the product's own, its category's "
             "or the company default.")
    serial_pattern_preview = fields.Char(
        "Next numbers", compute="_compute_serial_pattern_preview",
        help="The next numbers the pattern gives, for today and the first warehouse. "
             "Showing them does not use them up.")

    @api.multi
    def _serial_pattern_owner(self):
        """The record whose pattern and counter number this product's units."""
        self.ensure_one()
        if self.serial_pattern:
            return self
        owner = self.categ_id._serial_pattern_owner() if self.categ_id else None
        if owner:
            return owner
        return self.company_id or self.env.user.company_id

    @api.depends("serial_pattern", "default_code", "categ_id", "company_id", "tracking")
    def _compute_serial_pattern_preview(self):
        today = fields.Date.from_string(fields.Date.context_today(self))
        for template in self:
            if template.tracking == "none":
                template.serial_pattern_source = False
                template.serial_pattern_preview = False
                continue
            owner = template._serial_pattern_owner()
            template.serial_pattern_source = {
                "product.template": _("This product"),
                "product.category": _("Category %s") % owner.display_name,
                "res.company": _("Company default (%s)") % owner.display_name,
            }[owner._name]
            company = template.company_id or self.env.user.company_id
            warehouse = self.env["stock.warehouse"].sudo().search(
                [("company_id", "=", company.id)], limit=1)
            context = {
                "prod": template.default_code or False,
                "categ": template.categ_id._serial_categ_code() if template.categ_id else False,
                "wh": warehouse.code or False,
                "date": today,
            }
            try:
                numbers = owner._serial_peek_numbers(3)
                template.serial_pattern_preview = ", ".join(
                    serial_pattern.render(owner.serial_pattern, n, context) for n in numbers)
            except serial_pattern.PatternError as exc:
                template.serial_pattern_preview = _("Cannot number: %s") % exc

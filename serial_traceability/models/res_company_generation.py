# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..lib import serial_pattern


class ResCompany(models.Model):
    _name = "res.company"
    _inherit = ["res.company", "serial.pattern.mixin"]

    serial_pattern = fields.Char(
        default=serial_pattern.DEFAULT_PATTERN,
        help="Default pattern for products whose product and category have none. "
             "Placeholders: {prod} internal reference, {categ} category code, {wh} "
             "warehouse code, {yyyy} {yy} {mm} {dd} date, {seq} or {seq:5} counter, "
             "{check} check character.")
    serial_gap_policy = fields.Selection(default="standard", required=True)

    @api.multi
    def _serial_company(self):
        self.ensure_one()
        return self

    @api.multi
    def _serial_apply_gap_policy(self):
        """The company's policy also holds for every counter that has none of its own."""
        res = super(ResCompany, self)._serial_apply_gap_policy()
        for company in self:
            for model in ("product.template", "product.category"):
                domain = [("serial_sequence_id", "!=", False),
                          ("serial_gap_policy", "=", False)]
                if model == "product.template":
                    domain.append(("company_id", "in", [company.id, False]))
                owners = self.env[model].sudo().with_context(
                    active_test=False, serial_company_id=company.id).search(domain)
                owners._serial_apply_gap_policy()
        return res

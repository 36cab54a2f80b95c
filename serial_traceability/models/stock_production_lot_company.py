# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A lot/serial belongs to one company, and only that company's users make it.

The host (Odoo 11) has no company on lots: the addon adds it (``company_id``, set
from the product or the user, see ``stock_production_lot_generation.py``) and a
record rule keeps each company's lots to its users
(``security/serial_traceability_security.xml``). A record rule checks the rows a
user reads or writes, not the company a new or edited lot is given: this does. A
user may give a lot only one of their allowed companies; the host's own flows that
run as superuser (``sudo()``) are not limited.
"""
from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    @api.model
    def _check_lot_company(self, company_id):
        """Refuse (AccessError) a lot of ``company_id`` unless it is one of the user's
        companies; every lot has a company."""
        if self.env.uid == SUPERUSER_ID:
            return
        user = self.env.user
        if company_id and company_id in user.company_ids.ids:
            return
        company = self.env["res.company"].sudo().browse(company_id)
        raise AccessError(_(
            "%(user)s works for %(allowed)s and may not create or move lots/serials into "
            "%(company)s.") % {
                "user": user.name,
                "allowed": ", ".join(user.sudo().company_ids.mapped("name")),
                "company": company.name if company else _("no company")})

    @api.model
    def create(self, vals):
        product = self.env["product.product"].browse(vals.get("product_id"))
        if product and not vals.get("company_id"):
            vals = dict(vals, company_id=self._serial_default_company(product).id)
        self._check_lot_company(vals.get("company_id"))
        return super(StockProductionLot, self).create(vals)

    @api.multi
    def write(self, vals):
        if "company_id" in vals:
            self._check_lot_company(vals["company_id"])
        return super(StockProductionLot, self).write(vals)

    @api.model
    def _serial_bulk_create(self, product, names, company, extra=None, recompute=True):
        # generated serials are inserted in bulk, past ``create``
        self._check_lot_company(company.id)
        return super(StockProductionLot, self)._serial_bulk_create(
            product, names, company, extra=extra, recompute=recompute)

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.exceptions import UserError


class StockMoveLine(models.Model):
    """A unit awaiting release cannot be delivered to a customer: checked by the
    quality hold's hook (stock_move_line_hold.py) on create, write and _action_done."""

    _inherit = "stock.move.line"

    @api.model
    def _check_hold_vals(self, lot, location_dest, move):
        super(StockMoveLine, self)._check_hold_vals(lot, location_dest, move)
        if lot and location_dest.usage == "customer" \
                and lot.sudo().release_state == "pending":
            raise UserError(_(
                "Cannot ship %(lot)s (%(product)s): it has not been released for "
                "distribution. A Quality Manager releases it with an electronic signature "
                "(Release on the unit or on its manufacturing order).") % {
                    "lot": lot.sudo().name, "product": lot.sudo().product_id.display_name})

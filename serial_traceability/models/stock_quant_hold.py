# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.tools import float_compare


class StockQuant(models.Model):
    """Reservation never takes a unit on quality hold.

    Reserving "any unit" (``lot_id`` not given) skips held units, so a delivery or an
    MO reserves the other serials; reserving a named held unit is refused. Unreserving
    and moving stock (receipts, returns, quarantine transfers) are untouched.
    """

    _inherit = "stock.quant"

    def _gather(self, product_id, location_id, lot_id=None, package_id=None, owner_id=None,
                strict=False):
        quants = super(StockQuant, self)._gather(
            product_id, location_id, lot_id=lot_id, package_id=package_id, owner_id=owner_id,
            strict=strict)
        if (self.env.context.get("serial_skip_held") and not lot_id
                and product_id.tracking != "none"):
            quants = quants.filtered(lambda q: not q.lot_id.quality_hold)
        return quants

    @api.model
    def _update_reserved_quantity(self, product_id, location_id, quantity, lot_id=None,
                                  package_id=None, owner_id=None, strict=False):
        if float_compare(quantity, 0, precision_rounding=product_id.uom_id.rounding) > 0:
            if lot_id:
                lot_id._serial_raise_if_blocked(
                    "reserve", _("reserve %s") % product_id.display_name)
            self = self.with_context(serial_skip_held=True)
        return super(StockQuant, self)._update_reserved_quantity(
            product_id, location_id, quantity, lot_id=lot_id, package_id=package_id,
            owner_id=owner_id, strict=strict)

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class StockMoveLine(models.Model):
    """A unit awaiting release cannot be delivered to a customer.

    Checked where the quality hold is (stock_move_line_hold.py): when a line to a
    customer gets a pending unit with a done quantity (create, through
    ``_serial_check_new_line``; write) and once more
    when it is done. Reserving a pending unit stays possible: it may be released
    before the delivery is validated.
    """

    _inherit = "stock.move.line"

    @api.model
    def _check_release_vals(self, lot, location_dest, qty_done):
        if not (lot and qty_done and qty_done > 0 and location_dest.usage == "customer"):
            return
        lot = lot.sudo()
        if lot.release_state == "pending":
            raise UserError(_(
                "Cannot ship %(lot)s (%(product)s): it has not been released for "
                "distribution. A Quality Manager releases it with an electronic signature "
                "(Release on the unit or on its manufacturing order).") % {
                    "lot": lot.name, "product": lot.product_id.display_name})

    @api.model
    def _serial_check_new_line(self, vals):
        res = super(StockMoveLine, self)._serial_check_new_line(vals)
        if vals.get("lot_id") and vals.get("qty_done"):
            move = self.env["stock.move"].browse(vals.get("move_id"))
            dest = self.env["stock.location"].browse(
                vals.get("location_dest_id") or move.location_dest_id.id)
            self._check_release_vals(self.env["stock.production.lot"].browse(vals["lot_id"]),
                                     dest, vals["qty_done"])
        return res

    @api.multi
    def write(self, vals):
        if {"lot_id", "qty_done", "location_dest_id"} & set(vals):
            Lot, Location = self.env["stock.production.lot"], self.env["stock.location"]
            for ml in self:
                if ml.state == "done":
                    continue  # correcting history: not a new movement
                lot = Lot.browse(vals["lot_id"]) if "lot_id" in vals else ml.lot_id
                dest = (Location.browse(vals["location_dest_id"])
                        if vals.get("location_dest_id") else ml.location_dest_id)
                self._check_release_vals(lot, dest, vals.get("qty_done", ml.qty_done))
        return super(StockMoveLine, self).write(vals)

    def _serial_check_done_lines(self):
        for ml in self:
            if ml.lot_id and float_compare(
                    ml.qty_done, 0, precision_rounding=ml.product_uom_id.rounding) > 0:
                self._check_release_vals(ml.lot_id, ml.location_dest_id, ml.qty_done)
        return super(StockMoveLine, self)._serial_check_done_lines()

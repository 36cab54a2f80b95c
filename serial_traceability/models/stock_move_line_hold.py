# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.tools import float_compare


class StockMoveLine(models.Model):
    """A blocked unit (on quality hold, ...: ``_serial_blocking_reasons``) cannot leave
    for a customer or go into production.

    Checked where a move line gets a held lot (create, write) and once more when it is
    done, for lines reserved or filled in before the hold was put. Receipts (returns
    included), internal and quarantine transfers, scrap, returns to the supplier and
    unbuilding stay possible: they are how held units are dealt with.
    """

    _inherit = "stock.move.line"

    @api.model
    def _serial_line_kind(self, location_dest, move):
        """What a unit does on this line, as ``_serial_blocking_reasons`` names it
        (with its verb phrase), or None when no control stops it."""
        if location_dest.usage == "customer":
            return "ship", _("ship")
        if location_dest.usage == "production" and not move.consume_unbuild_id:
            return "consume", _("consume in manufacturing")
        return None

    @api.model
    def _check_hold_vals(self, lot, location_dest, move):
        if lot:
            kind = self._serial_line_kind(location_dest, move)
            if kind:
                lot._serial_raise_if_blocked(*kind)

    @api.model
    def _serial_check_new_line(self, vals):
        """Refuse ``create(vals)`` when its unit may not go where the line takes it.
        The one check of a new line: controls other than holds (release) extend it
        with ``super()``, and a batched save (stock_move_line_entry.py) runs it for
        all its lines before writing any."""
        if vals.get("lot_id"):
            move = self.env["stock.move"].browse(vals.get("move_id"))
            dest = self.env["stock.location"].browse(
                vals.get("location_dest_id") or move.location_dest_id.id)
            self._check_hold_vals(self.env["stock.production.lot"].browse(vals["lot_id"]),
                                  dest, move)

    @api.model
    def create(self, vals):
        if not self._hold_create_checked(vals):
            self._serial_check_new_line(vals)
        return super(StockMoveLine, self).create(vals)

    @api.multi
    def write(self, vals):
        if {"lot_id", "qty_done", "location_dest_id"} & set(vals):
            Lot, Location = self.env["stock.production.lot"], self.env["stock.location"]
            for ml in self:
                if "lot_id" not in vals and (ml.state == "done" or not vals.get("qty_done", 1)):
                    continue  # correcting history, or emptying a line: not a new movement
                lot = Lot.browse(vals["lot_id"]) if "lot_id" in vals else ml.lot_id
                dest = (Location.browse(vals["location_dest_id"])
                        if vals.get("location_dest_id") else ml.location_dest_id)
                self._check_hold_vals(lot, dest, ml.move_id)
        return super(StockMoveLine, self).write(vals)

    def _serial_check_done_lines(self):
        """Refuse processing these lines when a unit on them may not go where they
        take it: the check of every line before any is done (controls other than
        holds extend it). A batch of lines (stock_move_line_done_batch.py) runs it
        once for all its lines before its first slice."""
        for ml in self:
            if ml.lot_id and float_compare(
                    ml.qty_done, 0, precision_rounding=ml.product_uom_id.rounding) > 0:
                self._check_hold_vals(ml.lot_id, ml.location_dest_id, ml.move_id)

    def _action_done(self):
        self._serial_check_done_lines()
        return super(StockMoveLine, self)._action_done()

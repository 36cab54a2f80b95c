# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

# Editing these on a done line changes where its lot went.
# ``date`` too: a corrected delivery date is the unit's ship date.
_DONE_LINE_FIELDS = frozenset(["lot_id", "qty_done", "location_id", "location_dest_id",
                               "picking_id", "move_id", "product_uom_id", "date"])


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model
    def create(self, vals):
        line = super(StockMoveLine, self).create(vals)
        # The host lets users add lines to a done transfer.
        if line.state == "done" and line.lot_id and not self._unit_create_deferred(line):
            # inside a one2many write the host stores the state at the end: the unit
            # fields are read from the stored lines
            line._line_entry_store_state()
            line.lot_id._recompute_unit_fields()
        return line

    @api.multi
    def write(self, vals):
        if not _DONE_LINE_FIELDS.intersection(vals):
            return super(StockMoveLine, self).write(vals)
        done = self.filtered(lambda line: line.state == "done")
        lots = done.mapped("lot_id")
        res = super(StockMoveLine, self).write(vals)
        lots |= done.exists().mapped("lot_id")
        lots._recompute_unit_fields()
        return res

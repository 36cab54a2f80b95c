# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models, tools


class StockPicking(models.Model):
    _inherit = "stock.picking"

    @api.model_cr
    def init(self):
        res = super(StockPicking, self).init()
        # The host does not index stock_move_line by move: every lookup of a scan
        # ("the line of this lot", "the next empty line", "how many are done")
        # would scan the whole table, and get slower with every transfer ever made.
        # With ``id`` last, "the first empty line of this move" is the first entry of
        # the (move, NULL lot) range: no filled line is read to find it.
        tools.create_index(self.env.cr, "serial_scan_move_line_move_lot_id_idx",
                           "stock_move_line", ["move_id", "lot_id", "id"])
        return res

    @api.multi
    def action_serial_scan(self):
        """Open the scan screen of this transfer."""
        self.ensure_one()
        return self.env["serial.picking.scan"]._open_for(self)

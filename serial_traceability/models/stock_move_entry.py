# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .stock_move_line_entry import line_entry_write


class StockMove(models.Model):
    """Saving a move's detailed operations: see stock_move_line_entry.py."""

    _inherit = "stock.move"

    @api.multi
    def write(self, vals):
        return line_entry_write(self, vals, lambda recs, v: super(StockMove, recs).write(v))

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .stock_move_line_entry import line_entry_write


class StockPicking(models.Model):
    """Saving the transfer's Detailed operations: see stock_move_line_entry.py."""

    _inherit = "stock.picking"

    @api.multi
    def write(self, vals):
        return line_entry_write(self, vals, lambda recs, v: super(StockPicking, recs).write(v))

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_assign(self):
        # The host sizes the reservation from the available quantity before it picks
        # quants: both must leave held units out, or a move would reserve nothing at
        # all when one of its candidate serials is held (see stock_quant_hold.py).
        return super(StockMove, self.with_context(serial_skip_held=True))._action_assign()

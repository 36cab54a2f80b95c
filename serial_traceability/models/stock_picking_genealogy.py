# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    @api.multi
    def action_trace_lots(self):
        """What went into the units of this transfer, at every level."""
        self.ensure_one()
        lots = self.move_line_ids.mapped("lot_id")
        return self.env["serial.trace"].open_for_lots(lots, "backward")

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    @api.multi
    def action_trace_produced_lots(self):
        """Everything that went into the units this MO built, at every level."""
        self.ensure_one()
        lots = self.move_finished_ids.mapped("move_line_ids.lot_id")
        return self.env["serial.trace"].open_for_lots(lots, "backward")

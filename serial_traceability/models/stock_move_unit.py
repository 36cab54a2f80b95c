# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class StockMove(models.Model):
    _inherit = "stock.move"

    @api.multi
    def _action_done(self):
        """Every way stock moves get done (transfers, MOs, scraps, unbuilds, inventory
        adjustments) ends here: refresh the unit fields of the lots they moved."""
        done = super(StockMove, self)._action_done()
        moves = self.exists() | done
        moves.mapped("move_line_ids.lot_id")._recompute_unit_fields()
        return done

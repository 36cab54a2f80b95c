# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class StockMove(models.Model):
    """A recall's lines follow their units: whatever moves a unit listed by a draft
    or open campaign (quarantine, a return, a re-shipment, a scrap, an MO) updates
    where the campaign says it is."""

    _inherit = "stock.move"

    @api.multi
    def _action_done(self):
        done = super(StockMove, self)._action_done()
        moves = self.exists() | done
        lots = moves.mapped("move_line_ids").filtered(
            lambda ml: ml.state == "done").mapped("lot_id")
        if lots:
            self.env["serial.recall"]._refresh_lots(lots)
        return done

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models


class StockPicking(models.Model):
    """A recalled unit that comes back from a customer through the host's return
    is recovered: the open campaigns that list it say so, whoever validated it."""

    _inherit = "stock.picking"

    @api.multi
    def action_done(self):
        res = super(StockPicking, self).action_done()
        self._recall_recover_returns()
        return res

    @api.multi
    def _recall_recover_returns(self):
        returned = self.mapped("move_line_ids").filtered(
            lambda ml: ml.state == "done" and ml.lot_id
            and ml.location_id.usage == "customer"
            and ml.location_dest_id.usage in ("internal", "transit"))
        if not returned:
            return
        # Warehouse users validate returns but may not edit recalls: the campaign is
        # updated on their behalf, and its message names them.
        Recall = self.env["serial.recall"].sudo().with_context(
            audit_reason=_("Return validated by %s") % self.env.user.name,
            recall_validated_by=self.env.user.name)
        recalls = Recall.search([("state", "=", "open"),
                                 ("line_ids.lot_id", "in", returned.mapped("lot_id").ids)])
        if not recalls:
            return
        # part of a lot back (30 of the 100 kg shipped): recovered once none is left
        # at customers
        partial = returned.mapped("lot_id")._still_at_customers()
        for picking in returned.mapped("picking_id"):
            lots = returned.filtered(lambda ml, p=picking: ml.picking_id == p).mapped("lot_id")
            recalls._recover_lots(lots - partial, picking=picking)

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    recall_line_ids = fields.One2many("serial.recall.line", "lot_id", "Recall lines",
                                      readonly=True)
    open_recall_count = fields.Integer(
        "Open recalls", compute="_compute_open_recall_count",
        help="Open recall campaigns that list this unit.")

    @api.multi
    def _compute_open_recall_count(self):
        counts = {}
        if self.ids:
            self.env.cr.execute("""
                SELECT l.lot_id, count(DISTINCT l.recall_id)
                  FROM serial_recall_line l JOIN serial_recall r ON r.id = l.recall_id
                 WHERE l.lot_id IN %s AND r.state = 'open' GROUP BY l.lot_id
            """, (tuple(self.ids),))
            counts = dict(self.env.cr.fetchall())
        for lot in self:
            lot.open_recall_count = counts.get(lot.id, 0)

    @api.multi
    def action_view_recalls(self):
        self.ensure_one()
        action = self.env.ref("serial_traceability.serial_recall_action").read()[0]
        action["domain"] = [("line_ids.lot_id", "=", self.id)]
        return action

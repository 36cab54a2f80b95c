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
    def _still_at_customers(self):
        """The lots of a lot-tracked product among these of which some quantity is
        still at customers (their quants in customer locations, as the recall's scope
        reads them); serials are left out (one unit is back or not)."""
        lots = self.filtered(lambda lot: lot.product_id.tracking == "lot")
        if not lots:
            return self.browse()
        self.env.cr.execute("""
            SELECT q.lot_id FROM stock_quant q
              JOIN stock_location l ON l.id = q.location_id AND l.usage = 'customer'
             WHERE q.lot_id = ANY(%s) GROUP BY q.lot_id HAVING sum(q.quantity) > 1e-6
        """, (lots.ids,))
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.multi
    def action_view_recalls(self):
        self.ensure_one()
        action = self.env.ref("serial_traceability.serial_recall_action").read()[0]
        action["domain"] = [("line_ids.lot_id", "=", self.id)]
        return action

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Labels from a transfer: one per lot/serial of its operations (reports/serial_label.py)."""
from odoo import api, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    @api.multi
    def _serial_label_lots(self):
        """The lots/serials of these transfers, in operation order, each once."""
        ids = [ml.lot_id.id for ml in self.mapped("move_line_ids").sorted("id") if ml.lot_id]
        return self.env["stock.production.lot"].browse(list(dict.fromkeys(ids)))

    @api.multi
    def action_print_serial_labels(self):
        return self.env["serial.label"].print_for(self._serial_label_lots(), self)

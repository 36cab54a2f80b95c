# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class MrpProduction(models.Model):
    """Release every unit of a done MO that awaits release with one signature."""

    _inherit = "mrp.production"

    serial_release_pending_count = fields.Integer(
        "Units awaiting release", compute="_compute_serial_release_pending_count")

    @api.multi
    def _serial_finished_lots(self):
        self.ensure_one()
        return self.move_finished_ids.mapped("move_line_ids.lot_id")

    @api.multi
    def _compute_serial_release_pending_count(self):
        for production in self:
            production.serial_release_pending_count = len(
                production.sudo()._serial_finished_lots().filtered(
                    lambda lot: lot.release_state == "pending"))

    @api.multi
    def action_serial_release(self):
        self.ensure_one()
        lots = self._serial_finished_lots().filtered(lambda lot: lot.release_state == "pending")
        if not lots:
            raise UserError(_("%s has no unit awaiting release.") % self.name)
        return lots.action_serial_release()

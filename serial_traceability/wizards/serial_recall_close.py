# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SerialRecallClose(models.TransientModel):
    """Closing with units still at customers: the reason, then the signature."""

    _name = "serial.recall.close"
    _inherit = ["serial.checked.mixin"]
    _description = "Close a recall with units at customers"

    recall_id = fields.Many2one("serial.recall", required=True, readonly=True,
                                ondelete="cascade")
    to_recover_count = fields.Integer(related="recall_id.to_recover_count", readonly=True)
    reason = fields.Text("Why close now", required=True)

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        recall = self.recall_id
        recall._check_manager()
        recall._check_state("open")
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(_("Say why the campaign closes with units at customers."))
        recall.write({"closing_note": reason})
        return recall.with_context(default_meaning="approval").action_request_signature()

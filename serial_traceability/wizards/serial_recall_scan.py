# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SerialRecallScan(models.TransientModel):
    """Scan units that came back (at the service desk, in a returns crate): each
    scan names a unit of the campaign; confirming marks them recovered."""

    _name = "serial.recall.scan"
    _inherit = ["serial.recall.dialog.mixin"]
    _description = "Record recovered units of a recall"

    recall_id = fields.Many2one("serial.recall", "Recall", required=True, readonly=True,
                                ondelete="cascade")
    lot_ids = fields.Many2many("stock.production.lot", "serial_recall_scan_lot_rel",
                               "scan_id", "lot_id", "Units recovered")

    @api.model
    def _manager_refusal(self):
        return _("Only a Quality Manager may record recovered units.")

    @api.multi
    def _scan(self, code):
        """Add the unit ``code`` names if it is one of the campaign's units."""
        message, lots = None, None
        try:
            lots = self._lots_from_scan(code)
        except UserError as exc:
            message = exc.name
        if lots:
            lines = self.env["serial.recall.line"].search([
                ("recall_id", "=", self.recall_id.id), ("lot_id", "in", lots.ids)])
            to_recover = lines.filtered(lambda l: l.action == "retrieve").mapped("lot_id")
            if to_recover:
                self.lot_ids |= to_recover
                message = _("%s: recovered when you confirm.") % ", ".join(
                    to_recover.mapped("name"))
            elif lines:
                message = _("%(units)s is in recall %(recall)s but was not at a customer: "
                            "there is nothing to recover.") % {
                                "units": ", ".join(lots.mapped("name")),
                                "recall": self.recall_id.name}
                lots = None
            else:
                message = _("%(units)s is not part of recall %(recall)s.") % {
                    "units": ", ".join(lots.mapped("name")), "recall": self.recall_id.name}
                lots = None
        elif message is None:
            message = _("Nothing found for %s.") % code.strip()
        self.scan_message = message
        if not lots:
            return {"warning": {"title": _("Scan"), "message": message}}

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        self._check_manager()
        if not self.lot_ids:
            raise UserError(_("Scan at least one returned unit."))
        recall = self.recall_id
        recall._check_state("open")
        pending = self.env["serial.recall.line"].search([
            ("recall_id", "=", recall.id), ("lot_id", "in", self.lot_ids.ids),
            ("recovered", "=", False)]).mapped("lot_id")
        if not pending:
            raise UserError(_("These units were recorded as recovered already."))
        # Units still at a customer come back through the host's return of their
        # delivery, into quarantine (its validation marks them recovered); a drill
        # moves nothing.
        returned = pending.browse()
        if not recall.drill:
            _pickings, returned = recall._return_from_customers(pending)
        recall._recover_lots(pending - returned)
        return {"type": "ir.actions.act_window_close"}

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Lots at risk in the recall wizard: other lots made from the suspects' inputs."""
from odoo import _, api, fields, models

from ..sql import lots_at_risk as risk_sql

MAX_DEPTH = 30
MAX_AT_RISK = 200


class SerialRecallWizard(models.TransientModel):
    _inherit = "serial.recall.wizard"

    risk_line_ids = fields.One2many("serial.recall.risk.line", "wizard_id",
                                    "Possibly affected", readonly=True)
    risk_count = fields.Integer("Possibly affected lots", readonly=True)

    @api.multi
    def _lots_at_risk(self):
        """[{lot_id, shared_lot_id, depth, qty}]: lots outside the scope made from an
        input of a suspect lot."""
        self.ensure_one()
        return self.env["stock.production.lot"]._run_sql(risk_sql.AT_RISK, {
            "lot_ids": self.lot_ids.ids, "company_ids": self.env.user.company_ids.ids,
            "max_depth": MAX_DEPTH, "limit": MAX_AT_RISK})

    @api.multi
    def action_preview(self):
        action = super(SerialRecallWizard, self).action_preview()
        rows = self._lots_at_risk()
        visible = set(self.env["stock.production.lot"].search(
            [("id", "in", [r["lot_id"] for r in rows])]).ids)
        rows = [r for r in rows if r["lot_id"] in visible]
        self.write({
            "risk_line_ids": [(5, 0, 0)] + [(0, 0, {
                "lot_id": r["lot_id"], "shared_lot_id": r["shared_lot_id"],
                "qty": r["qty"]}) for r in rows],
            "risk_count": len(set(r["lot_id"] for r in rows)),
        })
        return action

    @api.multi
    def action_add_lots_at_risk(self):
        """Add every possibly affected lot to the suspects (one click)."""
        self.ensure_one()
        self._check_manager()
        return self._add_at_risk(self.risk_line_ids)

    @api.multi
    def _add_at_risk(self, lines):
        lots = lines.mapped("lot_id")
        left = self.risk_line_ids.filtered(lambda line: line.lot_id not in lots)
        self.write({"lot_ids": [(4, lot.id) for lot in lots], "preview_ready": False,
                    "risk_line_ids": [(2, line.id) for line in self.risk_line_ids - left],
                    "risk_count": len(left.mapped("lot_id")),
                    "scan_message": _("Added %s: preview again.")
                    % ", ".join(lots.mapped("display_name"))})
        return self._reopen()


class SerialRecallRiskLine(models.TransientModel):
    _name = "serial.recall.risk.line"
    _description = "Lot possibly affected through a shared input"
    _order = "shared_lot_id, lot_id"

    wizard_id = fields.Many2one("serial.recall.wizard", required=True, ondelete="cascade")
    lot_id = fields.Many2one("stock.production.lot", "Possibly affected lot", readonly=True)
    product_id = fields.Many2one(related="lot_id.product_id", readonly=True)
    shared_lot_id = fields.Many2one("stock.production.lot", "Shared input", readonly=True)
    shared_product_id = fields.Many2one(related="shared_lot_id.product_id", readonly=True,
                                        string="Input product")
    qty = fields.Float("Input quantity used", readonly=True)

    @api.multi
    def action_add_to_scope(self):
        self.ensure_one()
        self.wizard_id._check_manager()
        return self.wizard_id._add_at_risk(self)

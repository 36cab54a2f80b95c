# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class MrpProduction(models.Model):
    """An open MO that consumes or builds recalled units is flagged by the recall's
    containment: the shop floor sees a banner on the order."""

    _inherit = "mrp.production"

    recall_ids = fields.Many2many(
        "serial.recall", "serial_recall_mrp_production_rel", "production_id", "recall_id",
        "Recalls", readonly=True, copy=False)
    recall_warning = fields.Char(compute="_compute_recall_warning")

    @api.depends("recall_ids.state")
    def _compute_recall_warning(self):
        for production in self:
            recalls = production.recall_ids.filtered(lambda r: r.state == "open")
            production.recall_warning = _(
                "Recall %s: this order uses or builds recalled units, which are on hold. "
                "Do not finish it before the quality manager decides.") % ", ".join(
                    recalls.mapped("name")) if recalls else False

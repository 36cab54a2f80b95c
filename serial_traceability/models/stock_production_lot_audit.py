# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models

from .serial_actions import window_action


class StockProductionLot(models.Model):
    """A lot's identity (its number, product and reference) is what every trace
    hangs on: renaming a serial after shipping is exactly the change an auditor
    must be able to see (odoo/odoo#16410)."""

    _name = "stock.production.lot"
    _inherit = ["stock.production.lot", "serial.audited.mixin"]

    _audit_fields = ["name", "product_id", "ref"]

    @api.multi
    def _audit_trail_domain(self):
        """The lot's own entries and those of move lines that moved it, found by the
        exact JSON key the trail writes (``"lot_id":[<id>,``)."""
        self.ensure_one()
        keys = ['"%s":[%d,' % (name, self.id) for name in ("lot_id", "lot_produced_id")]
        domain = ["&", ("res_model", "=", self._name), ("res_id", "=", self.id)]
        for key in keys:
            for column in ("old_value", "new_value"):
                domain = ["|", (column, "like", key)] + domain
        return domain

    @api.multi
    def action_view_audit_trail(self):
        self.ensure_one()
        return window_action(self.env, "serial_traceability.serial_audit_entry_action",
                             _("Audit trail of %s") % self.display_name,
                             domain=self._audit_trail_domain(), context={})

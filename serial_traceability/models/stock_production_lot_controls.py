# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.exceptions import UserError


class StockProductionLot(models.Model):
    """The one cross-feature rule of what a unit may not do now.

    Each control that can stop a unit (quality holds and recalls in
    stock_production_lot_quality.py, release for distribution where installed) extends
    ``_serial_blocking_reasons`` with ``super()``; the move lines, quants, the produce
    wizard and the scanners only ever ask ``_serial_raise_if_blocked``.
    """

    _inherit = "stock.production.lot"

    @api.multi
    def _serial_blocking_reasons(self, kind):
        """``[(lot, message, hint)]`` for the units of ``self`` that may not do
        ``kind`` now: ``'ship'`` (to a customer), ``'consume'`` (in manufacturing),
        ``'reserve'`` or ``'scan'`` (picked up by a scanner). ``hint`` says who can
        lift the block, or is empty."""
        return []

    @api.multi
    def _serial_raise_if_blocked(self, kind, action):
        """UserError naming every blocked unit among these, for ``action`` (the verb
        phrase shown to the user)."""
        reasons = self.sudo()._serial_blocking_reasons(kind)
        if not reasons:
            return
        hints = []
        for _lot, _message, hint in reasons:
            if hint and hint not in hints:
                hints.append(hint)
        raise UserError(_("Cannot %(action)s:\n%(reasons)s\n%(hints)s") % {
            "action": action, "reasons": "\n".join(message for _lot, message, _hint in reasons),
            "hints": "\n".join(hints)})

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class SerialGenealogyEdge(models.Model):
    """Genealogy edges in the audit trail.

    Logged from Python rather than by a database trigger: the entry hash must be
    the one ``lib/hashchain.py`` documents (canonical JSON, float repr, UTC
    datetimes), which SQL cannot reproduce byte for byte, and a second hashing
    implementation would be a second thing to keep identical forever. Edges only
    change in two ways: a done consumption line is processed or corrected (audited
    on ``stock.move.line``, whose lot_id/lot_produced_id/qty_done are the edge) or
    an unbuild retires them, logged here.
    """

    _inherit = "serial.genealogy.edge"

    @api.model
    def _mark_unbuilt(self, unbuild):
        before = self.sudo().search([("production_id", "=", unbuild.mo_id.id),
                                     ("parent_lot_id", "=", unbuild.lot_id.id)])
        result = super(SerialGenealogyEdge, self)._mark_unbuilt(unbuild)
        retired = before.filtered(lambda e: not e.active).with_env(self.env)
        if retired:
            self.env["serial.audit.entry"]._log(
                retired, "unbuild", {"active": (True, False), "unbuild_id": (None, unbuild)},
                reason=unbuild.name)
        return result

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockMoveLine(models.Model):
    """Done move lines are the traceability record: which lot moved, how much, and
    which finished lot it went into. Their processing (action ``done``) and any
    later correction of those fields (``write``) go to the audit trail.

    Genealogy edges are rows derived from exactly these fields by the trigger in
    ``sql/genealogy.py``, so an edge that appears or moves because a done line
    changed is already in the trail here, with the user and the old values; only
    unbuilding changes edges on its own (see ``serial_genealogy_edge_audit.py``).
    """

    _name = "stock.move.line"
    _inherit = ["stock.move.line", "serial.audited.mixin"]

    _audit_fields = ["lot_id", "lot_produced_id", "qty_done"]

    def _audit_targets(self):
        return self.filtered(lambda ml: ml.state == "done")

    def _audit_res_names(self):
        return {ml.id: "%s: %s" % (ml.reference or ml.move_id.name or "",
                                   ml.product_id.display_name)
                for ml in self.sudo()}

    def _audit_company_ids(self):
        default = self.env.user.company_id.id
        return {ml.id: ml.move_id.company_id.id or default for ml in self.sudo()}

    def _action_done(self):
        # the host's own processing of the lines: one batch (one INSERT) per call,
        # which is one call per move, so a 1,000-serial delivery is one statement
        result = super(StockMoveLine, self)._action_done()
        done = self.exists()
        names = self._audit_field_names()
        if done and names:
            done._audit_write_entries("done", {}, done._audit_snapshot(names), names)
        return result

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models

from .stock_production_lot_frozen_record import sha256


class SerialAuditVerify(models.Model):
    _inherit = "serial.audit.verify"

    @api.model
    def _check_frozen_records(self):
        """[(entry no., sentence)] for every unit whose released record (the PDF frozen
        at release) no longer matches the SHA-256 its audit entry recorded."""
        Lot = self.env["stock.production.lot"].sudo()
        entries = Lot._serial_frozen_entries()
        contents = Lot._serial_attachment_bytes(
            [e["attachment_id"] for e in entries.values() if e["attachment_id"]])
        problems = []
        for entry in sorted(entries.values(), key=lambda e: e["sequence"]):
            facts = {"lot": entry["lot_name"], "file": entry["name"],
                     "seq": entry["sequence"], "hash": (entry["sha256"] or "")[:16]}
            data = contents.get(entry["attachment_id"])
            if not data:
                problems.append((entry["sequence"], _(
                    "Released record of %(lot)s is missing: %(file)s, whose SHA-256 "
                    "%(hash)s… audit entry no. %(seq)d recorded, was deleted or "
                    "emptied.") % facts))
            elif sha256(data) != entry["sha256"]:
                facts["now"] = sha256(data)[:16]
                problems.append((entry["sequence"], _(
                    "Released record of %(lot)s was changed: %(file)s now has SHA-256 "
                    "%(now)s…, audit entry no. %(seq)d recorded %(hash)s….") % facts))
        return problems

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Manifest version 1 of the signed content, kept only to verify old signatures.

Until manifest 2 the signed content of quality events and recalls held the display
names of the linked records (lot, product, company, responsible...), read again at
each verification, so renaming any of them "broke" a valid signature. Signatures
made then (``manifest_version`` empty or 1) are still verified against this exact
form: they stay valid until something they named is renamed. New signatures use
``_signature_content()`` (ids and values). Do not change anything here: it must
hash exactly as it did.
"""
from odoo import api, models


def _measurement_v1(line):
    """The measurement line as version 1 wrote it (frozen copy of its format)."""
    return "%s=%r %s [%s %r..%r] %s" % (
        line.parameter, line.value, line.uom or "", line.limit_kind, line.min_value,
        line.max_value, "pass" if line.passed else "fail")


class SerialQualityEvent(models.Model):
    _inherit = "serial.quality.event"

    @api.multi
    def _signature_content_v1(self):
        self.ensure_one()
        return {
            "model": self._name,
            "id": self.id,
            "name": self.name,
            "company": self.company_id.name,
            "kind": self.kind,
            "result": self.result or None,
            "date": self.date,
            "lots": ", ".join(sorted(self.lot_ids.mapped("name"))),
            "product": self.product_id.display_name or None,
            "production": self.production_id.name or None,
            "picking": self.picking_id.name or None,
            "responsible": self.user_id.name,
            "description": self.description or None,
            "measurements": "\n".join(_measurement_v1(m) for m in self.measurement_ids),
            "certificates": ", ".join(
                "%s:%s" % (a.name, a.checksum or "")
                for a in self.attachment_ids.sorted("id")),
            "amends": self.amends_event_id.name or None,
            "covered": bool(self.covered),
        }


class SerialRecall(models.Model):
    _inherit = "serial.recall"

    @api.multi
    def _signature_content_v1(self):
        self.ensure_one()
        return {
            "model": self._name, "id": self.id, "name": self.name,
            "company": self.company_id.name, "reason": self.reason,
            "class": self.recall_class, "drill": bool(self.drill),
            "quality_event": self.quality_event_id.name or None,
            "suspect_lots": ", ".join(sorted(self.suspect_lot_ids.mapped("name"))),
            "units": self.line_count, "to_recover": self.retrieve_count,
            "recovered": self.recovered_count, "contained": self.contained_count,
            "customers": ", ".join(sorted(self.partner_ids.mapped("name"))),
            "notified": ", ".join(sorted(self.notified_partner_ids.mapped("name"))),
        }

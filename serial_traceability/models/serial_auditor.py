# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

AUDIT_READERS = "serial_traceability.group_traceability_user,serial_traceability.group_auditor"


class SerialQualityEvent(models.Model):
    """The read-only auditor sees an event's signatures, as traceability users do
    (stock users still don't)."""

    _inherit = "serial.quality.event"

    signature_ids = fields.One2many(groups=AUDIT_READERS)

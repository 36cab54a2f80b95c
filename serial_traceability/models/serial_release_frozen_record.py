# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class SerialRelease(models.Model):
    """A completed release freezes the record of each released unit
    (``stock_production_lot_frozen_record.py``), in the same transaction: the
    release and its frozen records exist together or not at all."""

    _inherit = "serial.release"

    @api.multi
    def _on_signed(self, signature):
        result = super(SerialRelease, self)._on_signed(signature)
        # as the signer: the audit entry names the releaser
        self.lot_ids._serial_freeze_records(self)
        return result

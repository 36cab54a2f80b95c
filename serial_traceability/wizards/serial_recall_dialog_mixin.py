# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..models.serial_recall import QM_GROUP


class SerialRecallDialogMixin(models.AbstractModel):
    """What the recall dialogs share: only a Quality Manager opens them, and a code
    scanned (keyboard wedge) or typed in ``scan_code`` names lots through
    ``stock.production.lot.find_by_scan``; each dialog says what a scan does (``_scan``)."""

    _name = "serial.recall.dialog.mixin"
    _inherit = ["barcodes.barcode_events_mixin", "serial.checked.mixin"]
    _description = "Recall dialog: manager-only, scan to pick units"

    scan_code = fields.Char("Scan", help="Scan or type a lot/serial or GS1 code, then Enter.")
    scan_message = fields.Char(readonly=True)

    @api.model
    def _manager_refusal(self):
        return _("Only a Quality Manager may run a recall.")

    @api.model
    def _check_manager(self):
        if not self.env.user.has_group(QM_GROUP):
            raise AccessError(self._manager_refusal())

    @api.model
    def default_get(self, field_names):
        self._check_manager()
        return super(SerialRecallDialogMixin, self).default_get(field_names)

    @api.model
    def create(self, vals):
        self._check_manager()
        return super(SerialRecallDialogMixin, self).create(vals)

    @api.model
    def _lots_from_scan(self, code):
        """The lots/serials a scanned or typed code names (GS1 included)."""
        found = self.env["stock.production.lot"].find_by_scan(code)
        return self.env["stock.production.lot"].browse(found.get("lot_ids") or [])

    @api.onchange("scan_code")
    def _onchange_scan_code(self):
        if self.scan_code:
            code, self.scan_code = self.scan_code, False
            return self._scan(code)

    def on_barcode_scanned(self, barcode):
        return self._scan(barcode)

    @api.multi
    def _scan(self, code):
        raise NotImplementedError()

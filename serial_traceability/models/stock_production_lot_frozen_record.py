# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The frozen record (issue 17 item 5, docs/device_history.md "Frozen record").

When a release signature completes, the device history record / batch record of
each released unit is rendered once (one wkhtmltopdf run for all the units, split
per unit), stored as an ``ir.attachment`` on the lot, and its SHA-256 written into
the audit trail by an entry on the lot (action ``frozen_record``) naming the
releaser. That entry is the only source of truth: printing a released unit gives
the attachment it names, the attachment cannot be changed or deleted
(``ir_attachment_frozen_record.py``), and verifying the audit trail recomputes every
stored record's SHA-256 (``serial_audit_verify_frozen_record.py``).
"""
import base64
import hashlib
import json
import logging

from odoo import _, api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import config

_logger = logging.getLogger(__name__)

ACTION = "frozen_record"
DHR_REPORT = "serial_traceability.serial_device_history_report"
TRACE_GROUP = "serial_traceability.group_traceability_user"
TITLES = {"dhr": "DHR", "batch": "Batch record", "receiving": "Receiving record"}

# The latest frozen record of each lot (an entry's values are JSON text).
_ENTRIES = """
    SELECT DISTINCT ON (res_id) res_id, sequence, res_name, new_value
      FROM serial_audit_entry
     WHERE res_model = 'stock.production.lot' AND action = %(action)s
       AND (%(all)s OR res_id = ANY(%(ids)s))
  ORDER BY res_id, sequence DESC
"""
_CONTENT = "SELECT id, store_fname, db_datas FROM ir_attachment WHERE id = ANY(%(ids)s)"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    # -- reading -----------------------------------------------------------------
    @api.model
    def _serial_frozen_entries(self, lot_ids=None):
        """{lot id: {'sequence', 'lot_name', 'attachment_id', 'name', 'sha256'}} of the
        latest frozen record of ``lot_ids`` (every lot when None), from the trail."""
        self.env.cr.execute(_ENTRIES, {"action": ACTION, "all": lot_ids is None,
                                       "ids": list(lot_ids or [])})
        result = {}
        for lot_id, sequence, lot_name, new_value in self.env.cr.fetchall():
            values = json.loads(new_value or "{}")
            result[lot_id] = {"sequence": sequence, "lot_name": lot_name,
                              "attachment_id": values.get("frozen_record_attachment"),
                              "name": values.get("frozen_record"),
                              "sha256": values.get("frozen_record_sha256")}
        return result

    @api.model
    def _serial_attachment_bytes(self, attachment_ids):
        """{attachment id: bytes} read from where they are stored now (database or
        filestore), past the ORM's cache; a missing file reads as b''."""
        self.env.cr.execute(_CONTENT, {"ids": list(attachment_ids)})
        Attachment = self.env["ir.attachment"].sudo()
        result = {}
        for att_id, store_fname, db_datas in self.env.cr.fetchall():
            if store_fname:
                encoded = Attachment._file_read(store_fname) or b""
            else:
                encoded = bytes(db_datas or b"")
            try:
                result[att_id] = base64.b64decode(encoded)
            except (TypeError, ValueError):
                result[att_id] = encoded
        return result

    @api.multi
    def _serial_frozen_pdfs(self):
        """{lot id: stored PDF bytes} of those of these lots that have a frozen record
        (for a user allowed to print their device history record)."""
        if not self.env.user.has_group(TRACE_GROUP):
            raise AccessError(_("Only traceability users may print a device history record."))
        self.check_access_rights("read")
        self.check_access_rule("read")
        entries = self._serial_frozen_entries(self.ids)
        contents = self._serial_attachment_bytes(
            [e["attachment_id"] for e in entries.values() if e["attachment_id"]])
        return {lot_id: contents[e["attachment_id"]] for lot_id, e in entries.items()
                if contents.get(e["attachment_id"])}

    # -- freezing ----------------------------------------------------------------
    @api.multi
    def _serial_freeze_records(self, release):
        """Render these just released units' records once, store them on the lots and
        log their SHA-256 as the current user (the releaser). Returns the attachments."""
        from ..reports.serial_device_history_frozen import split_records
        from ..reports.serial_device_history import number_pages
        Attachment = self.env["ir.attachment"].sudo()
        if not self:
            return Attachment
        if config["test_enable"] and not config["test_report_directory"]:
            # the host renders HTML, not PDF, in tests unless given a report directory
            _logger.info("Test mode without a report directory: no frozen record.")
            return Attachment
        report = self.env.ref(DHR_REPORT).with_context(
            serial_dhr_raw=True, serial_dhr_live=True, serial_dhr_frozen=True)
        content, kind = report.render_qweb_pdf(self.ids)
        if kind != "pdf" or not content.startswith(b"%PDF"):
            raise UserError(_("The released record could not be rendered as a PDF."))
        pieces = split_records(content)
        day = (release.release_date or "")[:10]
        rows, attachments = [], Attachment
        Entry = self.env["serial.audit.entry"]
        for lot in self:
            if lot.id not in pieces:
                raise UserError(_("The released record of %s could not be rendered.")
                                % lot.name)
            data = number_pages(pieces[lot.id], self)
            kind = ("receiving" if not lot.production_id else
                    "batch" if lot.product_id.tracking == "lot" else "dhr")
            name = "%s %s released %s.pdf" % (TITLES[kind], lot.name, day)
            attachment = Attachment.create({
                "name": name, "datas_fname": name, "datas": base64.b64encode(data),
                "mimetype": "application/pdf", "res_model": lot._name, "res_id": lot.id,
                "description": release.name})
            attachments |= attachment
            digest = sha256(data)
            rows.append(Entry._audit_row(lot, ACTION, {
                "frozen_record": (None, name),
                "frozen_record_attachment": (None, attachment.id),
                "frozen_record_sha256": (None, digest),
                "released_by": (None, self.env.user.name)},
                reason=release.name, res_name=lot.sudo().name))
        Entry._log_rows(rows, user=self.env.user)
        return attachments

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.exceptions import UserError

# The attachments named by a frozen-record entry of the audit trail.
_FROZEN_RECORDS = """
    SELECT a.id, a.name FROM ir_attachment a
      JOIN serial_audit_entry e
        ON e.res_model = 'stock.production.lot' AND e.res_id = a.res_id
       AND e.action = 'frozen_record'
     WHERE a.id = ANY(%(ids)s) AND a.res_model = 'stock.production.lot'
       AND (e.new_value::json ->> 'frozen_record_attachment')::int = a.id
"""


class IrAttachment(models.Model):
    """A unit's released record (the PDF frozen at release) is evidence: only an
    administrator may change or delete it, and verifying the audit trail reports
    any change, whoever made it (docs/device_history.md, "Frozen record")."""

    _inherit = "ir.attachment"

    @api.multi
    def _serial_refuse_frozen_record(self, vals=None):
        ids = [i for i in self.ids if isinstance(i, int)]
        if not ids or self.env.user._is_admin():
            return
        self.env.cr.execute(_FROZEN_RECORDS, {"ids": ids})
        frozen = dict(self.env.cr.fetchall())
        for attachment in self.sudo().filtered(lambda a: a.id in frozen):
            if vals is not None and attachment._serial_unchanged(vals):
                continue  # e.g. the host moving the same file to another storage
            raise UserError(_(
                "%s is the record of a unit frozen at its release for distribution: it "
                "can no longer be changed or deleted. What happened since is printed as "
                "the after-release addendum.") % frozen[attachment.id])

    @api.multi
    def write(self, vals):
        self._serial_refuse_frozen_record(vals)
        return super(IrAttachment, self).write(vals)

    @api.multi
    def unlink(self):
        self._serial_refuse_frozen_record()
        return super(IrAttachment, self).unlink()

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import _, api, models
from odoo.exceptions import UserError

# The certificates of approved events, and the files on their chatter.
_FROZEN = """
    SELECT r.attachment_id, e.name FROM serial_quality_event_attachment_rel r
      JOIN serial_quality_event e ON e.id = r.event_id
     WHERE e.state = 'done' AND r.attachment_id = ANY(%(ids)s)
    UNION
    SELECT a.id, e.name FROM ir_attachment a
      JOIN serial_quality_event e ON e.id = a.res_id
     WHERE a.res_model = 'serial.quality.event' AND e.state = 'done'
       AND a.id = ANY(%(ids)s)
"""


class IrAttachment(models.Model):
    """The file an approved quality event was signed with stays that file: a
    certificate is replaced by amending the event, never by editing the attachment
    (issue 14). The host lets anyone who may edit the event edit its files."""

    _inherit = "ir.attachment"

    @api.multi
    def _serial_frozen_events(self):
        """{attachment id: name of the approved event it belongs to}."""
        ids = [i for i in self.ids if isinstance(i, int)]
        if not ids:
            return {}
        self.env.cr.execute(_FROZEN, {"ids": ids})
        return dict(self.env.cr.fetchall())

    @api.multi
    def _serial_refuse_frozen(self, vals=None):
        frozen = self._serial_frozen_events()
        for attachment in self.sudo().filtered(lambda a: a.id in frozen):
            if vals is not None and attachment._serial_unchanged(vals):
                continue  # e.g. the host moving the same file to another storage
            raise UserError(_(
                "%(file)s is part of approved quality event %(event)s and can no longer be "
                "changed or deleted. Use \"Amend\" on the event to record a corrected "
                "file.") % {"file": attachment.name, "event": frozen[attachment.id]})

    @api.multi
    def _serial_unchanged(self, vals):
        self.ensure_one()
        for name, value in vals.items():
            if name == "datas":
                if base64.b64decode(value or b"") != base64.b64decode(self.datas or b""):
                    return False
            elif self._fields.get(name) is None or self[name] != value:
                return False
        return True

    @api.multi
    def write(self, vals):
        self._serial_refuse_frozen(vals)
        return super(IrAttachment, self).write(vals)

    @api.multi
    def unlink(self):
        self._serial_refuse_frozen()
        return super(IrAttachment, self).unlink()

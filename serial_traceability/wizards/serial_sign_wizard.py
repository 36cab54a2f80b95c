# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessDenied, UserError

from ..models.serial_signature import MEANINGS


class SerialSignWizard(models.TransientModel):
    """Sign a record: re-enter the password (21 CFR 11.200, the user id being the
    session's) and say what the signature means (11.50)."""

    _name = "serial.sign.wizard"
    _description = "Sign a record electronically"

    res_model = fields.Char("Model", required=True, readonly=True)
    res_id = fields.Integer("Record ID", required=True, readonly=True)
    record_name = fields.Char("Record", compute="_compute_record_name")
    signer_name = fields.Char("Printed name", default=lambda self: self.env.user.name,
                              readonly=True)
    meaning = fields.Selection(MEANINGS)
    password = fields.Char()
    reason = fields.Text("Comment")

    @api.depends("res_model", "res_id")
    def _compute_record_name(self):
        for wizard in self:
            record = wizard._record(raise_if_missing=False)
            wizard.record_name = record.display_name if record else False

    @api.multi
    def _record(self, raise_if_missing=True):
        self.ensure_one()
        Mixin = self.env["serial.signable.mixin"]
        record = None
        if self.res_model and self.res_model in self.env and self.res_id:
            model = self.env[self.res_model]
            if isinstance(model, type(Mixin)):
                record = model.browse(self.res_id).exists()
        if not record and raise_if_missing:
            raise UserError(_("There is nothing to sign: %(model)s #%(id)s does not exist "
                              "or cannot be signed.") % {"model": self.res_model,
                                                         "id": self.res_id})
        return record

    @api.multi
    def action_sign(self):
        """Check meaning and password, record the signature (and its audit entry),
        then hand it to the record. Any refusal leaves nothing written."""
        self.ensure_one()
        record = self._record()
        if not self.meaning:
            raise UserError(_("Choose what your signature means (review, approval, "
                              "responsibility or authorship)."))
        if not self.password:
            raise UserError(_("Enter your password to sign."))
        try:
            self.env.user.sudo(self.env.uid).check_credentials(self.password)
        except AccessDenied:
            raise UserError(_("Wrong password: %s was not signed.") % record.display_name)
        record._check_signature_allowed(self.meaning)
        signature = self.env["serial.signature"]._sign(record, self.meaning, self.reason)
        # the host's own password wizards keep the clear text no longer than needed
        self.write({"password": False})
        record._on_signed(signature)
        return {"type": "ir.actions.act_window_close"}

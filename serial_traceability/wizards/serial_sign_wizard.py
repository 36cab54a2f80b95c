# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from odoo import _, api, fields, models
from odoo.exceptions import AccessDenied, AccessError, UserError

from ..models.serial_signature import MEANINGS

# How long a checked password stands for the Sign button. The web client saves the
# dialog and presses the button in two requests a moment apart.
CHECK_VALID_SECONDS = 120
CHECKS = [("ok", "Password checked"), ("wrong", "Wrong password"), ("locked", "Locked")]
# Written by the password check only: create() and write() refuse them from anyone.
_CHECK_FIELDS = ("password_check", "password_checked_at", "password_checked_uid",
                 "password_refusal")


class SerialSignWizard(models.TransientModel):
    """Sign a record: re-enter the password (21 CFR 11.200, the user id being the
    session's) and say what the signature means (11.50).

    The password is never stored (11.300): ``password`` is a non-stored field whose
    inverse checks it as soon as the dialog is saved and keeps only the outcome
    (``password_check``, by whom, when). The web client saves the dialog (create or
    write, one request) and then runs the Sign button (another request), so the
    check has to outlive the first request, the clear text must not.

    A wrong password is therefore recorded (audit entry as the person who tried,
    lockout after the company's limit) in a request that succeeds and commits; the
    refusal is raised by the Sign button afterwards, whose rollback cannot take the
    record of the failure with it. No second cursor, no commit in business code.
    """

    _name = "serial.sign.wizard"
    _description = "Sign a record electronically"

    res_model = fields.Char("Model", required=True, readonly=True)
    res_id = fields.Integer("Record ID", required=True, readonly=True)
    record_name = fields.Char("Record", compute="_compute_record_name")
    signer_name = fields.Char("Printed name", compute="_compute_signer_name",
                              help="Your signing name, as your administrator set it.")
    meaning = fields.Selection(MEANINGS)
    password = fields.Char(
        compute="_compute_password", inverse="_inverse_password", store=False,
        help="Checked when the dialog is saved; never stored.")
    reason = fields.Text("Comment")
    password_check = fields.Selection(CHECKS, readonly=True, copy=False)
    password_checked_at = fields.Datetime(readonly=True, copy=False)
    password_checked_uid = fields.Integer(readonly=True, copy=False)
    password_refusal = fields.Char(readonly=True, copy=False)

    @api.model_cr
    def init(self):
        # Until the password became non-stored the dialog kept it in this column: an
        # upgraded database drops it, and with it every password ever typed there.
        self.env.cr.execute("ALTER TABLE serial_sign_wizard DROP COLUMN IF EXISTS password")

    @api.depends("res_model", "res_id")
    def _compute_record_name(self):
        for wizard in self:
            record = wizard._record(raise_if_missing=False)
            wizard.record_name = record.display_name if record else False

    def _compute_signer_name(self):
        # shown only: the name is frozen (and audited) by the signature itself
        user = self.env.user.sudo()
        name = user.signing_name or user.name
        for wizard in self:
            wizard.signer_name = name

    def _compute_password(self):
        for wizard in self:
            wizard.password = False

    # -- the check: at save time, only its outcome kept -------------------------------
    @api.model
    def _refuse_forged_check(self, vals, context=None):
        forged = [name for name in _CHECK_FIELDS
                  if name in vals or "default_" + name in (context or {})]
        if forged:
            raise AccessError(_("The password check of the signing dialog is made by the "
                                "system only (%s).") % ", ".join(forged))

    @api.model
    def create(self, vals):
        self._refuse_forged_check(vals, self.env.context)
        return super(SerialSignWizard, self).create(vals)

    @api.multi
    def write(self, vals):
        self._refuse_forged_check(vals)
        return super(SerialSignWizard, self).write(vals)

    @api.multi
    def _inverse_password(self):
        for wizard in self:
            wizard._check_password(wizard.password)
        # the environment's cache was the only place the clear text ever was
        self.invalidate_cache(["password"], self.ids)

    @api.model
    def _signer(self):
        """The current user as a record of this environment (``env.user`` is a
        superuser's record in Odoo 11: audit entries would name the wrong person)."""
        return self.env["res.users"].browse(self.env.uid)

    @api.multi
    def _check_password(self, typed):
        """Check ``typed`` for the current user and keep the outcome, never the text;
        record a wrong one (or any attempt while locked) in the audit trail."""
        self.ensure_one()
        user = self._signer()
        target = self._record(raise_if_missing=False) or user
        lock = user._serial_sign_lock()
        values = {"password_check": False, "password_refusal": False,
                  "password_checked_uid": self.env.uid,
                  "password_checked_at": fields.Datetime.now()}
        if lock:
            self.env["serial.audit.entry"]._log(
                target, "sign_refused", {"meaning": (None, self.meaning or None)},
                reason=_("Signing attempted while locked"))
            values.update(password_check="locked", password_refusal=lock._refusal())
        elif typed:
            try:
                user.sudo(self.env.uid).check_credentials(typed)
                values["password_check"] = "ok"
            except AccessDenied:
                values.update(password_check="wrong",
                              password_refusal=user._serial_sign_attempt_failed(
                                  target, self.meaning))
        return super(SerialSignWizard, self).write(values)

    @api.multi
    def _checked_password(self):
        """Raise unless this dialog holds a fresh check of the current user's password."""
        self.ensure_one()
        lock = self._signer()._serial_sign_lock()
        if lock:
            raise UserError(lock._refusal())
        if self.password_check in ("wrong", "locked"):
            raise UserError(self.password_refusal)
        checked_at = fields.Datetime.from_string(self.password_checked_at)
        if (self.password_check != "ok" or self.password_checked_uid != self.env.uid
                or not checked_at or datetime.datetime.utcnow() - checked_at
                > datetime.timedelta(seconds=CHECK_VALID_SECONDS)):
            raise UserError(_("Enter your password to sign."))
        # one check, one signature
        return super(SerialSignWizard, self).write({"password_check": False})

    # -- signing -------------------------------------------------------------------------
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
        """Check meaning and the saved password check, record the signature (and its
        audit entry), then hand it to the record. Any refusal leaves nothing written
        but the record of a wrong password, made when the dialog was saved."""
        self.ensure_one()
        record = self._record()
        if not self.meaning:
            raise UserError(_("Choose what your signature means (review, approval, "
                              "responsibility or authorship)."))
        self._checked_password()
        record._check_signature_allowed(self.meaning)
        signature = self.env["serial.signature"]._sign(record, self.meaning, self.reason)
        record._on_signed(signature)
        return {"type": "ir.actions.act_window_close"}

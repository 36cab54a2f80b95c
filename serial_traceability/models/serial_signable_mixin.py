# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .serial_signature import MANIFEST_VERSION

SIGNATURE_STATES = [("unsigned", "Unsigned"), ("valid", "Signed"), ("broken", "Signature broken")]


class SerialSignableMixin(models.AbstractModel):
    """A record that can be signed electronically (21 CFR 11.50/11.70).

    The model implements ``_signature_content()`` (dict of the signed fields: str
    keys, values None/bool/str/int/float/date strings; recordsets are accepted and
    stand as ``model(ids)``: put linked records there as records, never their display
    names, so renaming a lot or a user keeps the signature valid) and
    ``_on_signed(signature)`` (e.g. move to done). It may narrow who signs with what
    meaning in ``_check_signature_allowed(meaning)``. A model whose content once held
    display names keeps that old form in ``_signature_content_v1()`` so that the
    signatures made with it are still verified (models/serial_signature_manifest_v1.py).
    ``signature_state`` is "broken" as soon as the current content no longer hashes
    to what any of its signatures signed.
    """

    _name = "serial.signable.mixin"
    _description = "Electronically signable record"

    signature_ids = fields.One2many(
        "serial.signature", "res_id", string="Signatures", readonly=True, copy=False,
        domain=lambda self: [("res_model", "=", self._name)])
    signature_state = fields.Selection(
        SIGNATURE_STATES, "Signature", compute="_compute_signature_state",
        help="Signed: every signature still matches the record. Broken: the record "
             "changed after it was signed.")

    @api.multi
    def _compute_signature_state(self):
        for record in self:
            signatures = record.sudo().signature_ids
            if not signatures:
                record.signature_state = "unsigned"
            elif all(signatures.mapped("valid")):
                record.signature_state = "valid"
            else:
                record.signature_state = "broken"

    # -- to implement ----------------------------------------------------------
    @api.multi
    def _signature_content(self):
        raise NotImplementedError(
            "%s must define _signature_content() to be signed" % self._name)

    @api.multi
    def _signature_content_v1(self):
        """The content as manifest version 1 built it (same as today unless the model
        says otherwise)."""
        return self._signature_content()

    @api.multi
    def _on_signed(self, signature):
        """Called after ``signature`` was recorded; raise to refuse (all is undone)."""
        return True

    @api.multi
    def _check_signature_allowed(self, meaning):
        """Raise when the current user may not sign with ``meaning``; by default
        anyone who may read the record signs it."""
        self.check_access_rights("read")
        self.check_access_rule("read")
        return True

    # -- provided --------------------------------------------------------------
    @api.multi
    def _signature_payload(self, version=MANIFEST_VERSION):
        """The signed content of manifest ``version`` in the form the signature hash
        takes."""
        self.ensure_one()
        content = self._signature_content() if version >= 2 else self._signature_content_v1()
        if not isinstance(content, dict):
            raise UserError(_("%s: the signed content must be a dict.") % self._name)
        payload = {}
        for key, value in content.items():
            if not isinstance(key, str) or key.startswith("$"):
                raise UserError(_("%(model)s: signed field names are strings not "
                                  "starting with '$' (%(key)r).")
                                % {"model": self._name, "key": key})
            if isinstance(value, models.BaseModel):
                value = "%s(%s)" % (value._name, ",".join(str(i) for i in sorted(value.ids)))
            payload[key] = value
        return payload

    @api.multi
    def action_request_signature(self):
        """Open the signing dialog (password and meaning) for this record."""
        self.ensure_one()
        context = {"default_res_model": self._name, "default_res_id": self.id}
        if self.env.context.get("default_meaning"):
            context["default_meaning"] = self.env.context["default_meaning"]
        return {
            "type": "ir.actions.act_window",
            "name": _("Sign %s") % self.display_name,
            "res_model": "serial.sign.wizard",
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import hashchain
from ..sql import audit_trail as audit_sql

MEANINGS = [
    ("review", "Review"),
    ("approval", "Approval"),
    ("responsibility", "Responsibility"),
    ("authorship", "Authorship"),
    ("release", "Release for distribution"),
]

# What a signature binds (see docs/e-signatures.md): 1 = the record's display names
# as read at signing (rows from before the column existed hold NULL); 2 = record ids
# and the signed values, plus the version itself, so a rename keeps it valid.
MANIFEST_VERSION = 2

_INSERT = """
    INSERT INTO serial_signature
        (res_model, res_id, record_name, signer_id, signer_name, signed_at, meaning, reason,
         content_hash, audit_entry_id, company_id, manifest_version)
    VALUES (%(res_model)s, %(res_id)s, %(record_name)s, %(signer_id)s, %(signer_name)s,
            %(signed_at)s, %(meaning)s, %(reason)s, %(content_hash)s, %(audit_entry_id)s,
            %(company_id)s, %(manifest_version)s)
    RETURNING id
"""


class SerialSignature(models.Model):
    """An electronic signature (21 CFR 11.50, 11.70): who (printed name), when
    (database clock), what it means, and the hash of the signed record's content
    together with all of those, so a signature can neither be moved to another
    record nor survive a change of what was signed unnoticed.

    Made only by ``serial.sign.wizard`` after a password check; append-only like the
    audit trail (ORM and database refuse to change or delete it).
    """

    _name = "serial.signature"
    _description = "Electronic signature"
    _order = "signed_at desc, id desc"
    _log_access = False
    _rec_name = "signer_name"

    res_model = fields.Char("Model", readonly=True, required=True, index=True)
    res_id = fields.Integer("Record ID", readonly=True, required=True, index=True)
    record_name = fields.Char("Signed record", readonly=True)
    signer_id = fields.Many2one("res.users", "Signed by", readonly=True, required=True,
                                ondelete="restrict")
    signer_name = fields.Char("Printed name", readonly=True, required=True)
    signed_at = fields.Datetime("Signed on", readonly=True, required=True)
    meaning = fields.Selection(MEANINGS, readonly=True, required=True)
    reason = fields.Text("Comment", readonly=True)
    content_hash = fields.Char("Content hash", readonly=True, required=True)
    audit_entry_id = fields.Many2one("serial.audit.entry", "Audit entry", readonly=True,
                                     ondelete="restrict")
    company_id = fields.Many2one("res.company", "Company", readonly=True,
                                 ondelete="restrict")
    # no default: the ORM would fill the rows of an upgraded database, which the
    # triggers refuse to update, and those rows are version 1 anyway
    manifest_version = fields.Integer(
        "Manifest version", readonly=True,
        help="How the signed content was put together: empty or 1 = with the display "
             "names of the linked records (broken by a rename); 2 = with their ids.")
    valid = fields.Boolean("Content unchanged", compute="_compute_valid",
                           help="False when the signed record changed after signing, or "
                                "no longer exists.")

    @api.model_cr
    def init(self):
        self.env.cr.execute(audit_sql.PROTECT_FUNCTION)
        self.env.cr.execute(audit_sql.protect_sql("serial_signature"))

    @api.multi
    def name_get(self):
        meanings = dict(MEANINGS)
        return [(s.id, "%s (%s, %s)" % (s.signer_name, meanings.get(s.meaning, s.meaning),
                                        s.signed_at)) for s in self]

    # The refusals are the point: there is deliberately no super() to call.
    @api.model
    def create(self, vals):  # pylint: disable=method-required-super
        raise UserError(_("Signatures are given through the signing dialog only."))

    @api.multi
    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(_("A signature can never be changed."))

    @api.multi
    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(_("A signature can never be deleted."))

    # -- hashing ---------------------------------------------------------------
    @api.model
    def _content_hash(self, record, meta, version=MANIFEST_VERSION):
        """sign_content_hash of the record's signed content (as manifest ``version``
        builds it) plus the signature's own facts (``$``-prefixed so they cannot
        clash with field names)."""
        # as the superuser: what a signature covers cannot depend on who looks
        content = dict(record.sudo()._signature_payload(version))
        for key, value in meta.items():
            content["$" + key] = value
        return hashchain.sign_content_hash(content)

    @api.multi
    def _compute_valid(self):
        if not self.ids:
            for sig in self:
                sig.valid = False
            return
        # the exact stored timestamp: the ORM reads datetimes without microseconds
        self.env.cr.execute("SELECT id, signed_at FROM serial_signature WHERE id IN %s",
                            (tuple(self.ids),))
        signed_at = dict(self.env.cr.fetchall())
        for sig in self:
            sig.valid = sig._current_hash(signed_at.get(sig.id)) == sig.content_hash

    @api.multi
    def _current_hash(self, signed_at):
        self.ensure_one()
        sig = self.sudo()
        if sig.res_model not in self.env or signed_at is None:
            return None
        record = self.env[sig.res_model].sudo().browse(sig.res_id).exists()
        if not record or not hasattr(record, "_signature_payload"):
            return None
        version = sig.manifest_version or 1
        return self._content_hash(record, self._meta(sig, signed_at, version), version)

    @api.model
    def _meta(self, sig, signed_at, version):
        meta = {"res_model": sig.res_model, "res_id": sig.res_id,
                "signer_id": sig.signer_id.id, "signer_name": sig.signer_name,
                "signed_at": signed_at, "meaning": sig.meaning}
        if version >= 2:
            meta["manifest"] = version
        return meta

    # -- signing ---------------------------------------------------------------
    @api.model
    def _sign(self, record, meaning, reason=None):
        """Sign ``record`` as the current user. The caller has checked the password
        and the user's authority; this writes the trail entry and the signature."""
        record.ensure_one()
        if meaning not in dict(MEANINGS):
            raise UserError(_("Choose what your signature means: review, approval, "
                              "responsibility or authorship."))
        cr = self.env.cr
        cr.execute("SELECT clock_timestamp() AT TIME ZONE 'UTC'")
        signed_at = cr.fetchone()[0]
        user = self.env.user
        # in this environment (env.user is sudo'ed) so the trail names the signer
        signer_name = self.env["res.users"].browse(user.id)._serial_signing_name()
        meta = {"res_model": record._name, "res_id": record.id, "signer_id": user.id,
                "signer_name": signer_name, "signed_at": signed_at, "meaning": meaning,
                "manifest": MANIFEST_VERSION}
        content_hash = self._content_hash(record, meta)
        entry = self.env["serial.audit.entry"]._log(record, "sign", {
            "meaning": (None, meaning), "signer_name": (None, signer_name),
            "signed_at": (None, signed_at), "content_hash": (None, content_hash),
        }, reason=reason)
        company = record.sudo().company_id if "company_id" in record._fields else None
        cr.execute(_INSERT, {
            "res_model": record._name, "res_id": record.id,
            "record_name": record.sudo().display_name, "signer_id": user.id,
            "signer_name": signer_name, "signed_at": signed_at, "meaning": meaning,
            "reason": reason or None, "content_hash": content_hash,
            "audit_entry_id": entry.id,
            "company_id": (company and company.id) or user.company_id.id,
            "manifest_version": MANIFEST_VERSION,
        })
        signature = self.browse(cr.fetchone()[0])
        record.invalidate_cache(["signature_ids", "signature_state"], record.ids)
        return signature

    @api.multi
    def action_open_record(self):
        self.ensure_one()
        record = (self.env[self.res_model].browse(self.res_id).exists()
                  if self.res_model in self.env else None)
        if not record:
            raise UserError(_("The signed record no longer exists."))
        return {"type": "ir.actions.act_window", "res_model": self.res_model,
                "res_id": record.id, "view_mode": "form", "target": "current"}

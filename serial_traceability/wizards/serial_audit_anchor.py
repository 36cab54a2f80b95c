# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import hashlib
import re

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

from ..lib import audit_anchor

# an anchor is well under 4 kB; anything this big is not one
MAX_ANCHOR_BYTES = 64 * 1024


class SerialAuditAnchorExport(models.TransientModel):
    """Write a signed verification run's head to an anchor file: downloaded, kept on
    the run as an attachment, and mailed to an address outside the database when
    one is given. The export is logged in the trail with the file's SHA-256."""

    _name = "serial.audit.anchor.export"
    _description = "Export an audit trail anchor"

    run_id = fields.Many2one("serial.audit.verify", "Verification", required=True,
                             readonly=True, ondelete="cascade")
    email_to = fields.Char(
        "Mail to", help="Optional: an address outside this database (QA archive, "
                        "auditor, notary) that receives the anchor file.")

    @api.multi
    def _checked_email(self):
        email = (self.email_to or "").strip()
        if email and not tools.single_email_re.match(email):
            raise UserError(_("'%s' is not an e-mail address; nothing was exported.")
                            % email)
        return email

    @api.multi
    def action_export(self):
        self.ensure_one()
        self.env["serial.audit.verify"]._check_manager()
        run = self.run_id
        if run.signature_state != "valid":
            raise UserError(_("Sign this verification first (Sign, meaning review): an "
                              "anchor is a head a quality manager vouches for."))
        if not run.head_sequence:
            raise UserError(_("The audit trail was empty at this verification: there is "
                              "nothing to anchor."))
        email = self._checked_email()
        data = audit_anchor.dumps(run._anchor_document())
        name = "audit-anchor-%s-no%d.json" % (re.sub(r"[^A-Za-z0-9_.-]", "_",
                                                     self.env.cr.dbname), run.head_sequence)
        # made by the system for the acting manager, who may not write runs
        attachment = self.env["ir.attachment"].sudo().create({
            "name": name, "datas_fname": name, "datas": base64.b64encode(data),
            "mimetype": "application/json", "res_model": run._name, "res_id": run.id})
        if email:
            self._mail(run, attachment, email)
        self.env["serial.audit.entry"]._log(run, "anchor", {
            "file": (None, name), "file_sha256": (None, hashlib.sha256(data).hexdigest()),
            "head_sequence": (None, run.head_sequence), "head_hash": (None, run.head_hash),
            "mailed_to": (None, email or None)})
        return {"type": "ir.actions.act_url", "target": "self",
                "url": "/web/content/%d?download=true" % attachment.id}

    @api.multi
    def _mail(self, run, attachment, email):
        user = self.env.user
        sender = (tools.formataddr((user.name, user.email)) if user.email
                  else user.company_id.email)
        if not sender:
            raise UserError(_("Give yourself or your company an e-mail address to mail "
                              "the anchor from; nothing was exported."))
        facts = {"seq": run.head_sequence, "db": self.env.cr.dbname,
                 "hash": run.head_hash, "who": user.name}
        escaped = {key: tools.html_escape(value) for key, value in facts.items()}
        body = _("<p>Audit trail anchor of database %(db)s: entry no. %(seq)s, hash "
                 "%(hash)s, exported by %(who)s.</p><p>Keep the attached file: it proves "
                 "what the trail held.</p>") % escaped
        # queued: the host's outgoing mail queue sends it
        self.env["mail.mail"].sudo().create({
            "subject": _("Audit trail anchor: entry no. %(seq)d of %(db)s") % facts,
            "email_from": sender, "email_to": email, "body_html": body,
            "attachment_ids": [(4, attachment.id)], "auto_delete": False})


class SerialAuditAnchorCheck(models.TransientModel):
    """Verify the trail against an anchor file: a full verification run that also
    checks the file's entry number and hash, kept as evidence like any run."""

    _name = "serial.audit.anchor.check"
    _description = "Verify the audit trail against an anchor file"

    anchor_file = fields.Binary("Anchor file")
    anchor_filename = fields.Char("File name")

    @api.multi
    def action_check(self):
        self.ensure_one()
        Verify = self.env["serial.audit.verify"]
        Verify._check_manager()
        data = base64.b64decode(self.anchor_file or b"")
        if not data:
            raise UserError(_("Choose the anchor file to verify against."))
        if len(data) > MAX_ANCHOR_BYTES:
            raise UserError(_("This file is too large to be an audit trail anchor."))
        try:
            sequence, digest, uuid = audit_anchor.check_document(data)
        except ValueError as exc:
            raise UserError(str(exc))
        own = self.env["ir.config_parameter"].sudo().get_param("database.uuid")
        if uuid and uuid != own:
            raise UserError(_("This anchor was exported from another database (%s): it "
                              "proves nothing about this one.") % uuid)
        run = Verify.create({"anchor_sequence": sequence, "anchor_hash": digest,
                             "anchor_name": self.anchor_filename or _("(unnamed file)")})
        return run._action_open()

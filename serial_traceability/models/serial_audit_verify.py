# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..lib import audit_anchor
from ..sql import audit_trail as audit_sql

RESULT_FIELDS = ("state", "entry_count", "head_sequence", "head_hash", "head_timestamp",
                 "broken_entry_id", "broken_sequence", "message", "run_at", "user_id",
                 "company_id", "previous_run_id")
ANCHOR_FIELDS = ("anchor_sequence", "anchor_hash", "anchor_name")
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")


class SerialAuditVerify(models.Model):
    """One run of "Verify audit trail", kept as evidence.

    Creating a run recomputes the whole chain (quality managers only), then compares
    the trail with every head an earlier run saw (the entry of that number must
    still be there with that hash: otherwise the end was cut off or rewritten and
    rehashed) and, when given, with an anchor read from a file. The run stores the
    head it saw, whatever the result; it cannot be typed in, edited or deleted
    (ORM and database triggers). It is logged in the trail and a quality manager may
    sign it (review), after which it can be exported as an anchor file
    (``serial.audit.anchor.export``) kept outside the database.
    """

    _name = "serial.audit.verify"
    _inherit = ["serial.signable.mixin", "serial.audited.mixin"]
    _description = "Audit trail verification"
    _order = "id desc"
    _rec_name = "run_at"

    _audit_fields = ["state", "entry_count", "head_sequence", "head_hash",
                     "broken_sequence", "anchor_sequence", "anchor_hash"]

    run_at = fields.Datetime("Verified on", readonly=True)
    user_id = fields.Many2one("res.users", "Verified by", readonly=True, ondelete="restrict")
    company_id = fields.Many2one("res.company", "Company", readonly=True,
                                 ondelete="restrict")
    state = fields.Selection([("intact", "Intact"), ("broken", "Broken")], "Result",
                             readonly=True)
    entry_count = fields.Integer("Entries checked", readonly=True)
    head_sequence = fields.Integer("Last entry no.", readonly=True)
    head_hash = fields.Char("Last entry hash", readonly=True,
                            help="Every later run checks that the trail still has this "
                                 "entry with this hash; export it as an anchor to keep "
                                 "a copy outside the database.")
    head_timestamp = fields.Datetime("Last entry written on", readonly=True)
    previous_run_id = fields.Many2one("serial.audit.verify", "Compared with", readonly=True,
                                      ondelete="restrict",
                                      help="The latest earlier run whose head was checked "
                                           "(every earlier head is checked).")
    broken_entry_id = fields.Many2one("serial.audit.entry", "First broken entry",
                                      readonly=True, ondelete="restrict")
    broken_sequence = fields.Integer("First broken entry no.", readonly=True)
    message = fields.Text("Result message", readonly=True)
    anchor_sequence = fields.Integer("Anchor entry no.", readonly=True,
                                     help="Checked against an anchor file: its entry no.")
    anchor_hash = fields.Char("Anchor hash", readonly=True)
    anchor_name = fields.Char("Anchor file", readonly=True)

    @api.model_cr
    def init(self):
        self.env.cr.execute(audit_sql.PROTECT_FUNCTION)
        self.env.cr.execute(audit_sql.protect_sql("serial_audit_verify"))

    @api.multi
    def name_get(self):
        return [(run.id, _("Audit trail verification #%(id)d (%(at)s UTC)")
                 % {"id": run.id, "at": run.run_at}) for run in self]

    @api.model
    def _check_manager(self):
        if not self.env.user.has_group("serial_traceability.group_quality_manager"):
            raise AccessError(_("Only quality managers verify the audit trail."))

    @api.model
    def _check_anchor_vals(self, vals):
        given = [vals.get(name) for name in ANCHOR_FIELDS[:2]]
        if not any(given):
            return
        sequence, digest = given
        if type(sequence) is not int or sequence < 1:
            raise UserError(_("An anchor names a positive entry number."))
        if not isinstance(digest, str) or not _HEX64.match(digest):
            raise UserError(_("An anchor's hash is 64 lowercase hexadecimal digits."))

    @api.model
    def create(self, vals):
        self._check_manager()
        if set(vals) & set(RESULT_FIELDS):
            raise UserError(_("A verification result is computed, never entered."))
        self._check_anchor_vals(vals)
        result = self.env["serial.audit.entry"]._verify_chain()
        problems = [] if result["ok"] else [(result["broken_sequence"], result["message"])]
        problems += self._check_stored_heads(result["head_sequence"])
        problems += self._check_frozen_records()
        if vals.get("anchor_sequence"):
            problems += self._check_anchor(vals["anchor_sequence"], vals["anchor_hash"],
                                           vals.get("anchor_name"), result["head_sequence"])
        self.env.cr.execute("SELECT clock_timestamp() AT TIME ZONE 'UTC'")
        vals = dict(vals)
        vals.update({
            "run_at": self.env.cr.fetchone()[0],
            "user_id": self.env.uid,
            "company_id": self.env.user.company_id.id,
            "state": "broken" if problems else "intact",
            "entry_count": result["count"],
            "head_sequence": result["head_sequence"],
            "head_hash": result["head_hash"] if result["head_sequence"] else False,
            "head_timestamp": result["head_timestamp"],
            "previous_run_id": self._last_run_with_head(),
            "message": self._result_message(result, problems, vals),
        })
        if problems:
            broken = problems[0][0]
            vals["broken_sequence"] = broken
            vals["broken_entry_id"] = self.env["serial.audit.entry"].sudo().search(
                [("sequence", "=", broken)], limit=1).id or False
        return super(SerialAuditVerify, self).create(vals)

    # -- comparisons -----------------------------------------------------------
    @api.model
    def _last_run_with_head(self):
        self.env.cr.execute(audit_sql.LAST_RUN_WITH_HEAD)
        row = self.env.cr.fetchone()
        return row[0] if row else False

    @api.model
    def _describe_run(self, run_id):
        run = self.sudo().browse(run_id)
        return _("the verification of %(when)s UTC by %(who)s") % {
            "when": run.run_at, "who": run.user_id.name}

    @api.model
    def _check_stored_heads(self, head_sequence):
        """[(entry no., sentence)] for the first earlier head the trail lost."""
        cr = self.env.cr
        cr.execute(audit_sql.CHANGED_HEADS)
        row = cr.fetchone()
        if not row:
            return []
        run_id, sequence, seen_hash, now_hash = row
        facts = {"run": self._describe_run(run_id), "seq": sequence, "head": head_sequence,
                 "seen": seen_hash[:16], "now": (now_hash or "")[:16]}
        if now_hash is None and sequence > head_sequence:
            text = _("Entries were removed from the end: %(run)s saw the trail reach entry "
                     "no. %(seq)d, but it now ends at no. %(head)d.") % facts
        elif now_hash is None:
            text = _("Entry no. %(seq)d, the last one %(run)s saw, is missing.") % facts
        else:
            text = _("Entry no. %(seq)d was rewritten: %(run)s recorded its hash as "
                     "%(seen)s…, it is now %(now)s… (it and the entries before it were "
                     "altered and rehashed).") % facts
        return [(sequence, text)]

    @api.model
    def _check_anchor(self, sequence, digest, name, head_sequence):
        self.env.cr.execute(audit_sql.ENTRY_HASH, {"sequence": sequence})
        row = self.env.cr.fetchone()
        facts = {"name": name or _("given"), "seq": sequence, "hash": digest[:16],
                 "now": row[0][:16] if row else "", "head": head_sequence}
        if row and row[0] == digest:
            return []
        if not row:
            return [(sequence, _("The anchor %(name)s names entry no. %(seq)d (hash "
                                 "%(hash)s…), which the trail no longer has (it ends at "
                                 "no. %(head)d).") % facts)]
        return [(sequence, _("The anchor %(name)s says entry no. %(seq)d had hash "
                             "%(hash)s…; it now has %(now)s…: the trail was rewritten.")
                 % facts)]

    @api.model
    def _result_message(self, result, problems, vals):
        if problems:
            return "\n".join(text for _seq, text in problems)
        lines = [result["message"]]
        previous = self._last_run_with_head()
        if previous:
            lines.append(_("It still holds every head earlier runs saw, the latest being "
                           "entry no. %(seq)d for %(run)s.") % {
                "seq": self.sudo().browse(previous).head_sequence,
                "run": self._describe_run(previous)})
        else:
            lines.append(_("No earlier verification to compare with."))
        if vals.get("anchor_sequence"):
            lines.append(_("It holds the anchor %(name)s: entry no. %(seq)d with hash "
                           "%(hash)s….") % {"name": vals.get("anchor_name") or "",
                                            "seq": vals["anchor_sequence"],
                                            "hash": vals["anchor_hash"][:16]})
        return "\n".join(lines)

    # Evidence: there is deliberately no super() to call.
    @api.multi
    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(_("A verification run cannot be changed; run a new one."))

    @api.multi
    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(_("Verification runs are kept as evidence."))

    @api.model
    def action_verify_now(self):
        """Menu "Verify audit trail": run now and show the result."""
        return self.create({})._action_open()

    @api.multi
    def _action_open(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "target": "current",
                "name": _("Audit trail verification")}

    @api.multi
    def action_export_anchor(self):
        """Open the anchor export dialog (download, optional mail)."""
        self.ensure_one()
        self._check_manager()
        return {"type": "ir.actions.act_window", "res_model": "serial.audit.anchor.export",
                "view_mode": "form", "target": "new", "name": _("Export anchor"),
                "context": {"default_run_id": self.id}}

    @api.multi
    def _anchor_document(self):
        """The anchor file's content (``lib/audit_anchor.document``) of this run."""
        self.ensure_one()
        run = self.sudo()
        self.env.cr.execute("SELECT clock_timestamp() AT TIME ZONE 'UTC'")
        now = self.env.cr.fetchone()[0]
        signatures = [{"printed_name": sig.signer_name, "signed_at": sig.signed_at + " UTC",
                       "meaning": sig.meaning, "content_hash": sig.content_hash}
                      for sig in run.signature_ids.sorted("id")]
        verification = {"run": run.id, "run_at": run.run_at + " UTC", "result": run.state,
                        "entries_checked": run.entry_count, "by": run.user_id.name,
                        "message": run.message}
        return audit_anchor.document(
            self.env.cr.dbname,
            self.env["ir.config_parameter"].sudo().get_param("database.uuid"),
            (run.head_sequence, run.head_hash, (run.head_timestamp or "") + " UTC"),
            verification, signatures, str(now)[:19] + " UTC", self.env.user.name)

    # -- signable --------------------------------------------------------------
    @api.multi
    def _signature_content(self):
        self.ensure_one()
        return {"run_at": self.run_at, "state": self.state, "entry_count": self.entry_count,
                "head_sequence": self.head_sequence, "head_hash": self.head_hash or None,
                "broken_sequence": self.broken_sequence, "message": self.message}

    @api.multi
    def _check_signature_allowed(self, meaning):
        result = super(SerialAuditVerify, self)._check_signature_allowed(meaning)
        self._check_manager()
        if meaning not in ("review", "responsibility"):
            raise UserError(_("A verification run is signed as reviewed or under your "
                              "responsibility."))
        return result

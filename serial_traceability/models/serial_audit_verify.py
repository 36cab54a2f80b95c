# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

RESULT_FIELDS = ("state", "entry_count", "head_sequence", "head_hash", "broken_entry_id",
                 "broken_sequence", "message", "run_at", "user_id", "company_id")


class SerialAuditVerify(models.Model):
    """One run of "Verify audit trail", kept as evidence.

    Creating a run recomputes the whole chain (quality managers only); its result
    cannot be typed in or edited. The run is itself logged in the trail, which puts
    the head hash it saw inside the chain, and a quality manager may sign it
    (meaning "review") to attest the check. For protection against rewriting the
    *whole* tail, export or print the head hash somewhere outside the database.
    """

    _name = "serial.audit.verify"
    _inherit = ["serial.signable.mixin", "serial.audited.mixin"]
    _description = "Audit trail verification"
    _order = "id desc"
    _rec_name = "run_at"

    _audit_fields = ["state", "entry_count", "head_sequence", "head_hash",
                     "broken_sequence"]

    run_at = fields.Datetime("Verified on", readonly=True)
    user_id = fields.Many2one("res.users", "Verified by", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    state = fields.Selection([("intact", "Intact"), ("broken", "Broken")], "Result",
                             readonly=True)
    entry_count = fields.Integer("Entries checked", readonly=True)
    head_sequence = fields.Integer("Last entry no.", readonly=True)
    head_hash = fields.Char("Last entry hash", readonly=True,
                            help="Record it outside the database: a later run must "
                                 "still reach an entry with this hash.")
    broken_entry_id = fields.Many2one("serial.audit.entry", "First broken entry",
                                      readonly=True)
    broken_sequence = fields.Integer("First broken entry no.", readonly=True)
    message = fields.Text("Result message", readonly=True)

    @api.multi
    def name_get(self):
        return [(run.id, _("Audit trail verification #%(id)d (%(at)s UTC)")
                 % {"id": run.id, "at": run.run_at}) for run in self]

    @api.model
    def _check_manager(self):
        if not self.env.user.has_group("serial_traceability.group_quality_manager"):
            raise AccessError(_("Only quality managers verify the audit trail."))

    @api.model
    def create(self, vals):
        self._check_manager()
        if set(vals) & set(RESULT_FIELDS):
            raise UserError(_("A verification result is computed, never entered."))
        result = self.env["serial.audit.entry"]._verify_chain()
        self.env.cr.execute("SELECT clock_timestamp() AT TIME ZONE 'UTC'")
        vals = dict(vals)
        vals.update({
            "run_at": self.env.cr.fetchone()[0],
            "user_id": self.env.uid,
            "company_id": self.env.user.company_id.id,
            "state": "intact" if result["ok"] else "broken",
            "entry_count": result["count"],
            "head_sequence": result["head_sequence"] or 0,
            "head_hash": result["head_hash"] or False,
            "broken_entry_id": result["broken_id"],
            "broken_sequence": result["broken_sequence"] or 0,
            "message": result["message"],
        })
        return super(SerialAuditVerify, self).create(vals)

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
        run = self.create({})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": run.id,
                "view_mode": "form", "target": "current",
                "name": _("Audit trail verification")}

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

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html_escape

from .serial_guard import guarded, is_chatter_field, refuse_set, refuse_unguarded

KINDS = [
    ("test", "Test"),
    ("inspection", "Inspection"),
    ("certificate", "Certificate (CoA/CoC)"),
    ("non_conformance", "Non-conformance"),
    ("service", "Service"),
    ("warranty_claim", "Warranty claim"),
    ("repair", "Repair"),
    ("release", "Release"),
    ("note", "Note"),
]
RESULTS = [("pass", "Pass"), ("fail", "Fail"), ("conditional", "Conditional")]
# Kinds whose result says whether the unit conforms; a failed one holds its lots.
RESULT_KINDS = ("test", "inspection", "certificate")
# Kinds that record whether the unit was under warranty on the event's date.
COVERAGE_KINDS = ("service", "warranty_claim", "repair")
QM_GROUP = "serial_traceability.group_quality_manager"
# Written only by the approval (a signature) and the warranty check it makes.
APPROVAL_FIELDS = ("state", "approved_by_id", "approved_date", "covered", "coverage_note")


class SerialQualityEvent(models.Model):
    _name = "serial.quality.event"
    _description = "Quality event"
    _inherit = ["mail.thread", "mail.activity.mixin", "serial.audited.mixin",
                "serial.signable.mixin", "serial.checked.mixin"]
    _order = "date desc, id desc"
    _audit_fields = [
        "name", "company_id", "state", "kind", "result", "lot_ids", "product_id",
        "production_id", "picking_id", "user_id", "date", "description", "attachment_ids",
        "amends_event_id", "covered", "coverage_note", "approved_by_id", "approved_date",
    ]

    name = fields.Char("Reference", required=True, readonly=True, copy=False, default="/",
                       index=True)
    company_id = fields.Many2one(
        "res.company", "Company", required=True, index=True,
        default=lambda self: self.env.user.company_id)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Approved")], default="draft", required=True,
        readonly=True, copy=False, index=True, track_visibility="onchange")
    kind = fields.Selection(KINDS, required=True, default="test",
                            track_visibility="onchange")
    result = fields.Selection(RESULTS, track_visibility="onchange")
    lot_ids = fields.Many2many(
        "stock.production.lot", "serial_quality_event_lot_rel", "event_id", "lot_id",
        string="Lots/Serials")
    product_id = fields.Many2one("product.product", "Product", index=True)
    production_id = fields.Many2one("mrp.production", "Manufacturing order", index=True)
    picking_id = fields.Many2one("stock.picking", "Transfer", index=True)
    user_id = fields.Many2one("res.users", "Responsible", required=True,
                              default=lambda self: self.env.user)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    description = fields.Text()
    measurement_ids = fields.One2many(
        "serial.quality.measurement", "event_id", "Measurements", copy=True)
    measurement_failed = fields.Boolean(compute="_compute_measurement_failed")
    attachment_ids = fields.Many2many(
        "ir.attachment", "serial_quality_event_attachment_rel", "event_id", "attachment_id",
        string="Certificates", copy=True,
        help="Certificates of analysis or conformance and test reports.")
    amends_event_id = fields.Many2one(
        "serial.quality.event", "Amends", readonly=True, index=True, ondelete="restrict",
        help="The approved event this one corrects; the original stays unchanged.")
    amended_by_ids = fields.One2many("serial.quality.event", "amends_event_id", "Amended by",
                                     readonly=True)
    covered = fields.Boolean(
        "Under warranty", readonly=True, copy=False,
        help="Whether every unit of the event was within its warranty window on the event's "
             "date; fixed when the event is approved.")
    coverage_note = fields.Char("Warranty detail", readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", "Approved by", readonly=True, copy=False)
    approved_date = fields.Datetime("Approved on", readonly=True, copy=False)
    # Stock users read events but not signatures: keep the list off their forms.
    signature_ids = fields.One2many(groups="serial_traceability.group_traceability_user")

    @api.depends("measurement_ids.passed")
    def _compute_measurement_failed(self):
        for event in self:
            event.measurement_failed = any(not m.passed for m in event.measurement_ids)

    @api.onchange("measurement_ids")
    def _onchange_measurement_ids(self):
        if self.measurement_ids and self.kind in RESULT_KINDS:
            self.result = "fail" if self.measurement_failed else (self.result or "pass")

    @api.onchange("lot_ids")
    def _onchange_lot_ids(self):
        products = self.lot_ids.mapped("product_id")
        if len(products) == 1:
            self.product_id = products

    @api.constrains("product_id", "lot_ids")
    def _check_lot_products(self):
        for event in self.filtered("product_id"):
            other = event.lot_ids.filtered(lambda lot, e=event: lot.product_id != e.product_id)
            if other:
                raise ValidationError(
                    _("%(event)s: lot/serial %(lot)s is not of product %(product)s.") % {
                        "event": event.name, "lot": other[0].name,
                        "product": event.product_id.display_name})

    # -- frozen once approved ----------------------------------------------------------
    @api.multi
    def _check_editable(self, fnames=None):
        """An approved event is read-only for everyone but its chatter."""
        done = self.sudo().filtered(lambda e: e.state == "done")
        if not done:
            return
        if fnames is not None and all(is_chatter_field(f) for f in fnames):
            return
        raise UserError(_(
            "Quality event %s is approved and can no longer be changed or deleted. "
            "Use \"Amend\" to record a correction as a new event that references it.")
            % done[0].name)

    @api.model
    def _approval_refusal(self):
        return _("A quality event is approved only by an electronic signature (button "
                 "\"Approve\"); its approval and warranty cover are not edited by hand.")

    @api.model
    def create(self, vals):
        vals = dict(vals)
        refuse_set(vals, APPROVAL_FIELDS, self._approval_refusal(), allowed=("draft",))
        if vals.get("name", "/") == "/":
            vals["name"] = self.env["ir.sequence"].next_by_code("serial.quality.event") or "/"
        if vals.get("amends_event_id"):
            original = self.browse(vals["amends_event_id"])
            if original.state != "done":
                raise UserError(_("Only an approved event can be amended; edit the draft "
                                  "%s instead.") % original.name)
        event = super(SerialQualityEvent, self).create(vals)
        products = event.lot_ids.mapped("product_id")
        if not event.product_id and len(products) == 1:
            event.product_id = products
        event._refresh_coverage()
        return event

    @api.multi
    def write(self, vals):
        self._check_editable(list(vals))
        refuse_unguarded(self, vals, APPROVAL_FIELDS, self._approval_refusal())
        res = super(SerialQualityEvent, self).write(vals)
        if {"date", "kind", "lot_ids"} & set(vals):
            self.filtered(lambda e: e.state == "draft")._refresh_coverage()
        return res

    @api.multi
    def unlink(self):
        self._check_editable()
        return super(SerialQualityEvent, self).unlink()

    # -- warranty ------------------------------------------------------------------------
    @api.multi
    def _refresh_coverage(self):
        for event in self:
            covered, note = False, False
            if event.kind in COVERAGE_KINDS and event.lot_ids:
                day = fields.Date.from_string(event.date)
                covered = all(lot._warranty_covers(day) for lot in event.lot_ids)
                note = "; ".join(lot._warranty_text() for lot in event.lot_ids)[:250]
            if (covered, note) != (event.covered, event.coverage_note or False):
                guarded(event).write({"covered": covered, "coverage_note": note})
        return True

    # -- permissions ---------------------------------------------------------------------
    @api.model
    def _check_quality_manager(self, what):
        if not self.env.user.has_group(QM_GROUP):
            raise AccessError(_("Only a Quality Manager may %s.") % what)

    # -- approval ------------------------------------------------------------------------
    @api.multi
    def _check_ready_for_approval(self):
        for event in self:
            if event.state != "draft":
                raise UserError(_("Quality event %s is already approved.") % event.name)
            if not event.lot_ids and event.kind != "note":
                raise UserError(_("Quality event %s names no lot or serial.") % event.name)
            if event.kind in RESULT_KINDS and not event.result:
                raise UserError(_("Quality event %s needs a result (pass, fail or "
                                  "conditional) before approval.") % event.name)
            bad = event.measurement_ids.filtered(lambda m: not m.passed)
            if bad and event.result == "pass":
                raise UserError(_(
                    "Quality event %(event)s cannot pass: measurement %(parameter)s is out "
                    "of its limits. Record the result as fail or conditional.") % {
                        "event": event.name, "parameter": bad[0].parameter})

    @api.multi
    def action_approve(self):
        """Ask for the approver's electronic signature; approval happens in _on_signed."""
        self.ensure_one()
        self._check_quality_manager(_("approve a quality event"))
        self._check_ready_for_approval()
        self._refresh_coverage()
        return self.with_context(default_meaning="approval").action_request_signature()

    @api.multi
    def _check_signature_allowed(self, meaning):
        super(SerialQualityEvent, self)._check_signature_allowed(meaning)
        self._check_quality_manager(_("sign a quality event"))
        if meaning != "review":
            self._check_ready_for_approval()
        return True

    @api.multi
    def _on_signed(self, signature):
        """Called by the signature wizard once the signature is stored.

        A review signature is recorded on the event but leaves it as it is; an approval
        or responsibility signature approves it.
        """
        self.ensure_one()
        self._check_quality_manager(_("sign a quality event"))
        if signature.meaning == "review":
            self.message_post(body=_("Reviewed by %s.") % html_escape(signature.signer_name))
            return True
        self._check_ready_for_approval()
        guarded(self).write({
            "state": "done",
            "approved_by_id": signature.signer_id.id,
            "approved_date": signature.signed_at,
        })
        meanings = dict(signature._fields["meaning"].selection)
        self.message_post(body=_(
            "Approved by %(signer)s (electronic signature, meaning: %(meaning)s).") % {
                "signer": html_escape(signature.signer_name),
                "meaning": html_escape(meanings.get(signature.meaning, signature.meaning))})
        self._apply_approval_effects()
        return True

    @api.multi
    def _holds_lots(self):
        self.ensure_one()
        return self.kind == "non_conformance" or (
            self.kind in RESULT_KINDS and self.result == "fail")

    @api.multi
    def _apply_approval_effects(self):
        """An approved failure holds its lots; an approved release lifts their hold."""
        for event in self:
            if event._holds_lots():
                lots = event.lot_ids.filtered(lambda lot: not lot.quality_hold)
                lots._put_on_hold(event._hold_reason(), source=event)
            elif event.kind == "release":
                held = event.lot_ids.filtered("quality_hold")
                reason = _("Released by %s") % event.name
                if event.description:
                    reason += ": " + event.description
                held._release_hold(reason)

    @api.multi
    def _hold_reason(self):
        self.ensure_one()
        kind = dict(KINDS)[self.kind]
        text = "%s %s" % (kind, self.name)
        if self.kind != "non_conformance":
            text += _(" failed")
        if self.description:
            text += ": " + self.description.strip().splitlines()[0][:200]
        return text

    # -- buttons -------------------------------------------------------------------------
    @api.multi
    def action_put_on_hold(self):
        for event in self:
            if not event._holds_lots():
                raise UserError(_("Only a failed test, inspection or certificate, or a "
                                  "non-conformance, puts units on hold (%s).") % event.name)
            lots = event.lot_ids.filtered(lambda lot: not lot.quality_hold)
            if not lots:
                raise UserError(_("Every lot/serial of %s is already on hold.") % event.name)
            lots._put_on_hold(event._hold_reason(), source=event)
        return True

    @api.multi
    def action_amend(self):
        """A correction is a new draft that references the approved original."""
        self.ensure_one()
        if self.state != "done":
            raise UserError(_("Edit the draft %s directly; only approved events are amended.")
                            % self.name)
        amendment = self.copy({"amends_event_id": self.id, "user_id": self.env.user.id})
        amendment.message_post(body=_("Amends %s.") % html_escape(self.name))
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": amendment.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.multi
    def action_view_lots(self):
        self.ensure_one()
        return self.env["stock.production.lot"]._lot_list_action(
            self.lot_ids, _("Units of %s") % self.name)

    # -- electronic signature ------------------------------------------------------------
    @api.multi
    def _signature_content(self):
        """What an approval signature binds to: linked records by id and the values
        signed, so renaming a lot, product or user keeps it valid (manifest 2).

        Leaves out what approval itself changes (state, approver), so the signature stays
        valid after _on_signed and breaks only if the event's content is altered.
        """
        self.ensure_one()
        return {
            "model": self._name,
            "id": self.id,
            "name": self.name,
            "company": self.company_id,
            "kind": self.kind,
            "result": self.result or None,
            "date": self.date,
            "lots": self.lot_ids,
            "product": self.product_id,
            "production": self.production_id,
            "picking": self.picking_id,
            "responsible": self.user_id,
            "description": self.description or None,
            "measurements": "\n".join(m._as_text() for m in self.measurement_ids),
            "certificates": ", ".join(
                "%d:%s" % (a.id, a.checksum or "") for a in self.attachment_ids.sorted("id")),
            "amends": self.amends_event_id,
            "covered": bool(self.covered),
        }

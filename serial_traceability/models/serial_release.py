# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One release for distribution: the units of one MO a Quality Manager releases with
one electronic signature (meaning 'release'). The signature binds this record's
content (the MO and the exact units), so one signature stands for all of them and
breaks if the list were ever changed. Written only by its own methods."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

from .serial_guard import guarded, refuse_set, refuse_unguarded

SIGNED_FIELDS = ("state", "released_by_id", "release_date", "signature_id")


class SerialSignableMixin(models.AbstractModel):
    """The meaning 'release' is for releases for distribution only: a quality event
    or a recall signed with it would be approved or closed under a wrong meaning."""

    _inherit = "serial.signable.mixin"

    _release_signable = False

    @api.multi
    def _check_signature_allowed(self, meaning):
        if meaning == "release" and not self._release_signable:
            raise UserError(_("The meaning 'Release for distribution' is given to releases "
                              "of units only, not to %s.") % self._description)
        return super(SerialSignableMixin, self)._check_signature_allowed(meaning)


class SerialRelease(models.Model):
    _name = "serial.release"
    _description = "Release for distribution"
    _inherit = ["serial.signable.mixin"]
    _order = "id desc"
    _release_signable = True

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one("res.company", "Company", required=True, readonly=True,
                                 index=True, default=lambda self: self.env.user.company_id)
    production_id = fields.Many2one("mrp.production", "Manufacturing order", readonly=True,
                                    index=True)
    lot_ids = fields.Many2many("stock.production.lot", "serial_release_lot_rel",
                               "release_id", "lot_id", "Units", readonly=True)
    unit_count = fields.Integer("Units released", compute="_compute_name")
    state = fields.Selection([("draft", "Draft"), ("done", "Released")], default="draft",
                             required=True, readonly=True)
    released_by_id = fields.Many2one("res.users", "Released by", readonly=True)
    release_date = fields.Datetime("Released on", readonly=True)
    signature_id = fields.Many2one("serial.signature", "Signature", readonly=True,
                                   ondelete="restrict")

    @api.depends("production_id", "lot_ids")
    def _compute_name(self):
        for release in self:
            release.unit_count = len(release.lot_ids)
            release.name = _("Release of %(mo)s (%(count)d units)") % {
                "mo": release.production_id.name or "-", "count": release.unit_count}

    @api.model
    def _refusal(self):
        return _("A release is made by the Release button and its signature; it is not "
                 "edited.")

    @api.model
    def create(self, vals):
        refuse_set(vals, SIGNED_FIELDS, self._refusal(), allowed=("draft",))
        if "production_id" in vals:
            raise UserError(self._refusal())
        lots = self.env["stock.production.lot"].browse(
            vals.get("lot_ids") and vals["lot_ids"][0][2] or [])
        production = lots._check_releasable()
        company = production.company_id or lots.sudo()[:1].company_id
        vals = dict(vals, production_id=production.id,
                    company_id=company.id or self.env.user.company_id.id)
        return super(SerialRelease, self).create(vals)

    @api.multi
    def write(self, vals):
        refuse_unguarded(self, vals, list(self._fields), self._refusal())
        return super(SerialRelease, self).write(vals)

    @api.multi
    def unlink(self):
        if self.filtered(lambda r: r.state == "done"):
            raise UserError(_("A signed release can never be deleted."))
        return super(SerialRelease, self).unlink()

    # -- signature -------------------------------------------------------------------------
    @api.multi
    def _signature_content(self):
        self.ensure_one()
        return {"model": self._name, "id": self.id, "company": self.company_id,
                "production": self.production_id, "lots": self.lot_ids}

    @api.multi
    def _check_signature_allowed(self, meaning):
        super(SerialRelease, self)._check_signature_allowed(meaning)
        if meaning != "release":
            raise UserError(_("Units are released for distribution with a signature of "
                              "meaning 'Release for distribution'."))
        if self.state != "draft":
            raise UserError(_("%s is already signed.") % self.name)
        self.lot_ids._check_releasable()
        return True

    @api.multi
    def _on_signed(self, signature):
        self.ensure_one()
        self._check_signature_allowed(signature.meaning)
        values = {"released_by_id": signature.signer_id.id,
                  "release_date": signature.signed_at}
        guarded(self.sudo()).write(dict(values, state="done", signature_id=signature.id))
        lots = self.lot_ids
        guarded(lots.sudo()).write(dict(values, release_signature_id=signature.id,
                                        release_id=self.id))
        # as the signer (not sudo): the trail names the releaser
        self.env["serial.audit.entry"]._log(lots, "release", {
            "release_state": ("pending", "released"),
            "released_by": (None, signature.signer_name),
            "release_signature": (None, signature.id)},
            reason=signature.reason or self.name)
        body = _("Released for distribution by %(signer)s (electronic signature, %(ref)s).") % {
            "signer": html_escape(signature.signer_name), "ref": html_escape(self.name)}
        for lot in lots:
            lot.message_post(body=body)
        return True

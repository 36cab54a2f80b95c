# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Release for distribution of a unit (issue 17 item 3, docs/release.md).

A unit of a product that requires release is *pending* until a Quality Manager
signs a ``serial.release`` naming it (meaning 'release'); only that signature writes
the release columns (``serial_guard``), and a pending unit cannot be delivered to a
customer (``stock_move_line_release.py``).
"""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..sql import device_history_record as dhr_rec
from .serial_guard import refuse_computed, refuse_set, refuse_unguarded

RELEASE_STATES = [("not_required", "Not required"), ("pending", "Awaiting release"),
                  ("released", "Released")]
RELEASE_FIELDS = ("released_by_id", "release_date", "release_signature_id")
QM_GROUP = "serial_traceability.group_quality_manager"


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    release_state = fields.Selection(
        RELEASE_STATES, "Release", compute="_compute_release_state", store=True,
        readonly=True, index=True, copy=False,
        help="Awaiting release: the product requires release before shipping and no "
             "Quality Manager has released this unit yet; it cannot be delivered.")
    released_by_id = fields.Many2one("res.users", "Released by", readonly=True, copy=False)
    release_date = fields.Datetime("Released on", readonly=True, copy=False)
    release_signature_id = fields.Many2one(
        "serial.signature", "Release signature", readonly=True, copy=False,
        ondelete="restrict", groups="serial_traceability.group_traceability_user")
    release_id = fields.Many2one("serial.release", "Release record", readonly=True,
                                 copy=False, ondelete="restrict")

    @api.depends("product_id.product_tmpl_id.serial_requires_release", "release_date")
    def _compute_release_state(self):
        for lot in self:
            if lot.release_date:
                lot.release_state = "released"
            elif lot.product_id.serial_requires_release:
                lot.release_state = "pending"
            else:
                lot.release_state = "not_required"

    @api.model
    def _serial_new_lot_values(self, product):
        values = super(StockProductionLot, self)._serial_new_lot_values(product)
        values["release_state"] = ("pending" if product.serial_requires_release
                                   else "not_required")
        return values

    @api.model
    def _release_refusal(self):
        return _("A unit is released for distribution only by a Quality Manager's "
                 "electronic signature (button \"Release\"), not edited on the lot.")

    @api.model
    def create(self, vals):
        refuse_set(vals, RELEASE_FIELDS + ("release_id",), self._release_refusal())
        refuse_computed(self, vals, ["release_state"])
        return super(StockProductionLot, self).create(vals)

    @api.multi
    def write(self, vals):
        refuse_unguarded(self, vals, RELEASE_FIELDS + ("release_id",),
                         self._release_refusal())
        refuse_computed(self, vals, ["release_state"])
        return super(StockProductionLot, self).write(vals)

    # -- the record the DHR reads ---------------------------------------------------------
    @api.multi
    def _serial_release_record(self):
        self.ensure_one()
        # one statement, read as superuser as the columns' groups allow the record
        self.env.cr.execute(dhr_rec.RELEASE, {"lot_id": self.id})
        row = self.env.cr.dictfetchone()
        released = row["release_date"] and row["release_date"][:19]
        return {
            "released": row["release_state"] == "released",
            "date": released or False,
            "user_name": (row["signer_name"] or row["released_by"] or False
                          if released else False),
            "meaning": row["meaning"] or False,
            "signature_id": row["signature_id"] or False,
        }

    # -- what stops a release --------------------------------------------------------------
    @api.multi
    def _release_production(self):
        """The MO that built this unit: the lot's column once its moves are done, or
        the MO of a finished move line naming it before that."""
        self.ensure_one()
        lot = self.sudo()
        if lot.production_id:
            return lot.production_id
        line = self.env["stock.move.line"].sudo().search(
            [("lot_id", "=", lot.id), ("move_id.production_id", "!=", False)],
            order="id desc", limit=1)
        return line.move_id.production_id

    @api.multi
    def _release_problems(self):
        """Why each of these units cannot be released: [(lot, sentence)]."""
        problems = []
        Event = self.env["serial.quality.event"].sudo()
        for lot in self.sudo():
            say = lambda text, lot=lot: problems.append((lot, text))  # noqa: E731
            if lot.release_state == "not_required":
                say(_("%s does not require release") % lot.product_id.display_name)
                continue
            if lot.release_state == "released":
                say(_("already released on %s") % lot.release_date)
                continue
            production = lot._release_production()
            if production and production.state != "done":
                say(_("manufacturing order %s is not done") % production.name)
            if lot.quality_hold:
                say(_("on quality hold (%s)") % (lot.hold_reason or "").replace("\n", "; "))
            open_nc = Event.search([("lot_ids", "in", lot.ids), ("state", "=", "draft"),
                                    ("kind", "=", "non_conformance")])
            for event in open_nc:
                say(_("open non-conformance %s") % event.name)
            if lot.quality_state == "failed":
                say(_("its latest approved test, inspection or certificate failed"))
            elif lot.quality_state == "untested":
                say(_("no approved passing test, inspection or certificate"))
            rows = lot.get_genealogy("backward")
            components = self.browse([row["lot_id"] for row in rows]).sudo()
            for component in components.filtered("quality_hold"):
                say(_("component %(lot)s (%(product)s) is on quality hold") % {
                    "lot": component.name, "product": component.product_id.display_name})
        return problems

    @api.multi
    def _check_releasable(self):
        """Raise a UserError listing every reason these units (of one MO) cannot be
        released by the current user; return their MO."""
        if not self.env.user.has_group(QM_GROUP):
            raise AccessError(_("Only a Quality Manager may release units for "
                                "distribution."))
        if not self:
            raise UserError(_("There is no unit to release."))
        sources = {lot._release_production() for lot in self}
        if len(sources) > 1:
            raise UserError(_("One release signature covers the units of one manufacturing "
                              "order (or units not built here); these come from %s.")
                            % ", ".join(sorted(p.name or _("no manufacturing order")
                                               for p in sources)))
        productions = sources.pop()
        problems = self._release_problems()
        if problems:
            raise UserError(_("Cannot release for distribution:\n%s") % "\n".join(
                "- %s: %s" % (lot.name, text) for lot, text in problems))
        self._check_four_eyes(productions)
        return productions

    @api.model
    def _check_four_eyes(self, production):
        if not production:
            return  # bought, not built: no responsible to keep apart
        company = production.company_id or self.env.user.company_id
        responsible = production.user_id
        if not (company.serial_release_four_eyes and responsible
                and responsible.id == self.env.uid):
            return
        group = self.env.ref(QM_GROUP)
        others = group.sudo().users.filtered(
            lambda u: u.id != responsible.id and company in u.company_ids)
        names = ", ".join(sorted(others.mapped("name"))) or _("no other Quality Manager")
        raise UserError(_(
            "Four-eyes release (%(company)s): %(user)s is responsible for %(mo)s and may "
            "not release its units. Who may sign instead: %(others)s.") % {
                "company": company.name, "user": responsible.name, "mo": production.name,
                "others": names})

    # -- buttons ---------------------------------------------------------------------------
    @api.multi
    def action_serial_release(self):
        """Release these units (of one MO): check them, then ask for one signature."""
        self._check_releasable()
        # made by this method only (no one creates releases through the ORM's API); a
        # dialog cancelled before signing leaves a draft, taken up again here
        Release = self.env["serial.release"].sudo()
        release = Release.search([("state", "=", "draft"), ("lot_ids", "in", self.ids)]
                                 ).filtered(lambda r: r.lot_ids == self)[:1]
        release = release or Release.create({"lot_ids": [(6, 0, self.ids)]})
        release = release.sudo(self.env.uid)
        return release.with_context(default_meaning="release").action_request_signature()

    @api.multi
    def action_view_label_log(self):
        self.ensure_one()
        action = self.env.ref("serial_traceability.serial_label_log_action").read()[0]
        action.update(domain=[("lot_id", "=", self.id)], context={})
        return action

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape

from .serial_guard import guarded, refuse_set, refuse_unguarded

QUALITY_STATES = [
    ("untested", "No approved result"),
    ("passed", "Passed"),
    ("conditional", "Conditionally passed"),
    ("failed", "Failed"),
    ("on_hold", "On quality hold"),
]
HOLD_FIELDS = ("quality_hold", "hold_reason", "hold_event_id", "hold_source", "hold_date",
               "hold_user_id")


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    quality_event_ids = fields.Many2many(
        "serial.quality.event", "serial_quality_event_lot_rel", "lot_id", "event_id",
        string="Quality events", readonly=True, copy=False)
    quality_event_count = fields.Integer(compute="_compute_quality_event_count")
    quality_hold = fields.Boolean(
        "On quality hold", readonly=True, copy=False, index=True,
        help="A held unit cannot be reserved, consumed in a manufacturing order or shipped "
             "until a Quality Manager approves a release event.")
    hold_reason = fields.Text(readonly=True, copy=False)
    hold_event_id = fields.Many2one("serial.quality.event", "Held by event", readonly=True,
                                    copy=False, ondelete="set null")
    hold_source = fields.Char("Hold raised by", readonly=True, copy=False,
                              help="The record that put the unit on hold (event, recall).")
    hold_date = fields.Datetime("Held since", readonly=True, copy=False)
    hold_user_id = fields.Many2one("res.users", "Held by", readonly=True, copy=False)
    quality_state = fields.Selection(
        QUALITY_STATES, compute="_compute_quality_state", store=True, readonly=True,
        help="Quality hold first; otherwise the result of the latest approved test, "
             "inspection or certificate that no approved amendment replaced.")

    @api.depends("quality_event_ids")
    def _compute_quality_event_count(self):
        for lot in self:
            lot.quality_event_count = len(lot.quality_event_ids)

    @api.depends("quality_hold", "quality_event_ids.state", "quality_event_ids.result",
                 "quality_event_ids.kind", "quality_event_ids.date",
                 "quality_event_ids.amended_by_ids.state")
    def _compute_quality_state(self):
        for lot in self:
            if lot.quality_hold:
                lot.quality_state = "on_hold"
                continue
            results = lot.quality_event_ids.filtered(
                lambda e: e.state == "done" and e.kind in ("test", "inspection", "certificate")
                and e.result and not e.amended_by_ids.filtered(lambda a: a.state == "done"))
            latest = results.sorted(lambda e: (e.date, e.id))[-1:]
            lot.quality_state = {"pass": "passed", "fail": "failed"}.get(
                latest.result, latest.result or "untested")

    @api.model
    def _serial_new_lot_values(self, product):
        values = super(StockProductionLot, self)._serial_new_lot_values(product)
        values["quality_state"] = "untested"  # no hold, no event
        return values

    @api.model
    def _hold_refusal(self):
        return _("A quality hold is set by a quality event and lifted by an approved "
                 "release event, not edited on the lot.")

    @api.model
    def _check_event_link(self, vals):
        """An approved event's units are part of what was signed: the link is
        edited on the (draft) event, never from the lot's side."""
        if "quality_event_ids" in vals:
            raise UserError(_("The units of a quality event are chosen on the event, not "
                              "on the lot."))

    @api.model
    def create(self, vals):
        refuse_set(vals, HOLD_FIELDS, self._hold_refusal())
        if vals.get("quality_event_ids"):
            self._check_event_link(vals)
        return super(StockProductionLot, self).create(vals)

    @api.multi
    def write(self, vals):
        refuse_unguarded(self, vals, HOLD_FIELDS, self._hold_refusal())
        self._check_event_link(vals)
        return super(StockProductionLot, self).write(vals)

    # -- the hold ------------------------------------------------------------------------
    @api.multi
    def _put_on_hold(self, reason, source=None):
        """Stop reserving, consuming and shipping these units.

        ``source``: the record that raised the hold (a quality event, later a recall).
        A unit already on hold keeps its first hold; the new reason is appended.
        """
        if not self.env.user.has_group("serial_traceability.group_traceability_user"):
            raise AccessError(_("Only traceability users may put units on quality hold."))
        if not reason or not str(reason).strip():
            raise UserError(_("A quality hold needs a reason."))
        event = source if source and source._name == "serial.quality.event" else None
        now = fields.Datetime.now()
        for lot in self:
            old = (lot.quality_hold, lot.hold_reason)
            vals = {"quality_hold": True}
            if lot.quality_hold:
                vals["hold_reason"] = "%s\n%s" % (lot.hold_reason or "", reason)
            else:
                vals.update(hold_reason=reason, hold_date=now, hold_user_id=self.env.uid,
                            hold_event_id=event.id if event else False,
                            hold_source=source and "%s %s" % (
                                source._description, source.sudo().display_name))
            guarded(lot.sudo()).write(vals)
            lot._log_hold_change("hold", old, reason)
            lot.message_post(body=_("Put on quality hold: %s") % html_escape(reason))
        return True

    @api.multi
    def _release_hold(self, reason):
        """Lift the quality hold; only a Quality Manager may (through a release event)."""
        if not self.env.user.has_group("serial_traceability.group_quality_manager"):
            raise AccessError(_("Only a Quality Manager may release a quality hold."))
        if not reason or not str(reason).strip():
            raise UserError(_("Releasing a quality hold needs a reason."))
        for lot in self.filtered("quality_hold"):
            old = (lot.quality_hold, lot.hold_reason)
            guarded(lot.sudo()).write({
                "quality_hold": False, "hold_reason": False, "hold_event_id": False,
                "hold_source": False, "hold_date": False, "hold_user_id": False})
            lot._log_hold_change("release", old, reason)
            lot.message_post(body=_("Quality hold released: %s") % html_escape(reason))
        return True

    @api.multi
    def _log_hold_change(self, action, old, reason):
        """Holds are part of the audit trail (issue 7 item 4), when it is installed."""
        if "serial.audit.entry" not in self.env:
            return
        self.ensure_one()
        changes = {"quality_hold": (old[0], self.quality_hold),
                   "hold_reason": (old[1] or False, self.hold_reason or False)}
        self.env["serial.audit.entry"].sudo()._log(self, action, changes, reason=reason)

    @api.multi
    def _hold_message(self):
        self.ensure_one()
        lot = self.sudo()
        text = _("%(lot)s (%(product)s) is on quality hold") % {
            "lot": lot.name, "product": lot.product_id.display_name}
        reason = (lot.hold_reason or "").replace("\n", "; ")
        if lot.hold_source:
            text += _(" by %s") % lot.hold_source
            # "by Recall campaign RC/0001: Recall RC/0001: ..." says the name twice
            prefix, sep, rest = reason.partition(": ")
            if sep and prefix.endswith(lot.hold_source.rsplit(" ", 1)[-1]):
                reason = rest
        return text + ": " + reason

    @api.multi
    def _serial_blocking_reasons(self, kind):
        reasons = super(StockProductionLot, self)._serial_blocking_reasons(kind)
        hint = _("A Quality Manager lifts a hold by approving a release event.")
        return reasons + [(lot, lot._hold_message(), hint)
                          for lot in self.sudo().filtered("quality_hold")]

    # -- buttons -------------------------------------------------------------------------
    @api.multi
    def action_view_quality_events(self):
        self.ensure_one()
        action = self.env.ref("serial_traceability.serial_quality_event_action").read()[0]
        action.update({
            "domain": [("lot_ids", "in", self.ids)],
            "context": {"default_lot_ids": [(6, 0, self.ids)],
                        "default_product_id": self.product_id.id},
        })
        return action

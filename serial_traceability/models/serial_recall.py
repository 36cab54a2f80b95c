# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape

from ..sql import genealogy as genealogy_sql
from ..sql import recall_scope as recall_sql
from .serial_guard import guarded, is_chatter_field, refuse_set, refuse_unguarded

RECALL_CLASSES = [
    ("I", "Class I: serious harm likely"),
    ("II", "Class II: temporary or reversible harm"),
    ("III", "Class III: harm unlikely"),
]

# Stored counters, all from one aggregate over the lines (the ORM never loads them).
_COUNTERS = {
    "line_count": "count(*)",
    "in_stock_count": "count(*) FILTER (WHERE status IN ('in_stock', 'returned'))",
    "in_production_count": "count(*) FILTER (WHERE status = 'in_production')",
    "shipped_count": "count(*) FILTER (WHERE at_customer)",
    "consumed_count": "count(*) FILTER (WHERE status IN ('consumed', 'scrapped'))",
    "contained_count": "count(*) FILTER (WHERE action_done)",
    "recovered_count": "count(*) FILTER (WHERE recovered)",
    # the units that were at customers, and those of them not back yet
    "retrieve_count": "count(*) FILTER (WHERE action = 'retrieve')",
    "to_recover_count": "count(*) FILTER (WHERE action = 'retrieve' AND NOT recovered)",
}
QM_GROUP = "serial_traceability.group_quality_manager"
REPORT_LINES = 1000
# Suspect lots per INSERT: each statement stays a bounded piece of work.
ROOT_BATCH = 500
# Changed only by the campaign's steps: opening it, and the closing signature.
STATE_FIELDS = ("state", "closed_date")


class SerialRecall(models.Model):
    """A recall campaign: suspect lots, every affected unit, and the work of
    containing, notifying and recovering them."""

    _name = "serial.recall"
    _inherit = ["mail.thread", "serial.audited.mixin", "serial.signable.mixin",
                "serial.checked.mixin"]
    _description = "Recall campaign"
    _order = "id desc"
    _audit_fields = [
        "name", "reason", "recall_class", "state", "drill", "user_id", "company_id",
        "quality_event_id", "suspect_lot_ids", "include_suspect_stock", "include_wip",
        "include_shipped", "notified_partner_ids", "production_ids", "quarantine_picking_ids",
        "closed_date", "closing_note",
    ]

    name = fields.Char("Reference", required=True, readonly=True, copy=False, default="/")
    reason = fields.Text(required=True, readonly=True,
                         states={"draft": [("readonly", False)]})
    recall_class = fields.Selection(RECALL_CLASSES, "Class", required=True, default="II",
                                    readonly=True, states={"draft": [("readonly", False)]},
                                    track_visibility="onchange")
    state = fields.Selection([("draft", "Draft"), ("open", "Open"), ("closed", "Closed")],
                             default="draft", required=True, readonly=True, copy=False,
                             track_visibility="onchange")
    quality_event_id = fields.Many2one(
        "serial.quality.event", "Root-cause quality event", readonly=True,
        states={"draft": [("readonly", False)]}, ondelete="restrict",
        help="The non-conformance or failed test that started this recall.")
    drill = fields.Boolean(
        "Mock recall (drill)", readonly=True,
        help="A traceability test: the same scope and exports, but no customer is "
             "e-mailed and no stock is moved.")
    user_id = fields.Many2one("res.users", "Responsible", default=lambda s: s.env.user,
                              track_visibility="onchange")
    company_id = fields.Many2one("res.company", required=True, readonly=True,
                                 default=lambda s: s.env.user.company_id)
    suspect_lot_ids = fields.Many2many(
        "stock.production.lot", "serial_recall_suspect_lot_rel", "recall_id", "lot_id",
        "Suspect lots", readonly=True)
    include_suspect_stock = fields.Boolean("Suspect lots' own stock", readonly=True)
    include_wip = fields.Boolean("Work in progress", readonly=True)
    include_shipped = fields.Boolean("Shipped units", readonly=True)
    line_ids = fields.One2many("serial.recall.line", "recall_id", "Affected units",
                               readonly=True)
    partner_ids = fields.Many2many(
        "res.partner", "serial_recall_partner_rel", "recall_id", "partner_id",
        "Affected customers", compute="_compute_partner_ids", store=True)
    notified_partner_ids = fields.Many2many(
        "res.partner", "serial_recall_notified_partner_rel", "recall_id", "partner_id",
        "Customers notified", readonly=True, copy=False)
    production_ids = fields.Many2many(
        "mrp.production", "serial_recall_mrp_production_rel", "recall_id", "production_id",
        "Manufacturing orders on hold", readonly=True, copy=False)
    quarantine_picking_ids = fields.Many2many(
        "stock.picking", "serial_recall_quarantine_picking_rel", "recall_id", "picking_id",
        "Quarantine transfers", readonly=True, copy=False)
    line_count = fields.Integer("Affected units", compute="_compute_counters", store=True)
    in_stock_count = fields.Integer("In our stock", compute="_compute_counters", store=True)
    in_production_count = fields.Integer("In production", compute="_compute_counters",
                                         store=True)
    shipped_count = fields.Integer("At customers", compute="_compute_counters", store=True)
    consumed_count = fields.Integer("Consumed or scrapped", compute="_compute_counters",
                                    store=True)
    contained_count = fields.Integer("Contained", compute="_compute_counters", store=True)
    recovered_count = fields.Integer("Recovered", compute="_compute_counters", store=True)
    retrieve_count = fields.Integer("Were at customers", compute="_compute_counters",
                                    store=True)
    to_recover_count = fields.Integer("To recover", compute="_compute_counters", store=True,
                                      help="Units at customers not recovered yet.")
    recovered_pct = fields.Float("% recovered", compute="_compute_counters", store=True,
                                 group_operator="avg", digits=(16, 1))
    partner_count = fields.Integer("Customers", compute="_compute_partner_ids", store=True)
    opened_ts = fields.Float("Wizard opened (epoch)", readonly=True, copy=False,
                             help="When the recall wizard was opened: the start of the "
                                  "traceability test's clock.")
    time_to_scope = fields.Float("Time to scope (s)", readonly=True, copy=False,
                                 digits=(16, 3),
                                 help="From opening the recall wizard to its preview.")
    time_to_export = fields.Float("Time to export (s)", readonly=True, copy=False,
                                  digits=(16, 3),
                                  help="From opening the recall wizard to the first export "
                                       "of the affected units.")
    quarantined_date = fields.Datetime(readonly=True, copy=False)
    notified_date = fields.Datetime(readonly=True, copy=False)
    closed_date = fields.Datetime(readonly=True, copy=False)
    closing_note = fields.Text(
        "Closing reason", readonly=True, copy=False,
        help="Why the campaign closes with units still at customers: part of the signed "
             "closing.")

    @api.model
    def _state_refusal(self):
        return _("A recall is opened by its first step (quarantine, notification) and "
                 "closed by the quality manager's signature (button \"Close\"); its state "
                 "is not edited by hand.")

    @api.model
    def create(self, vals):
        refuse_set(vals, STATE_FIELDS, self._state_refusal(), allowed=("draft",))
        if vals.get("name", "/") == "/":
            vals["name"] = self.env["ir.sequence"].next_by_code("serial.recall") or "/"
        return super(SerialRecall, self).create(vals)

    @api.multi
    def _check_not_closed(self, fnames=None):
        """A closed campaign is read-only for everyone but its chatter (issue 14)."""
        if fnames is not None and all(is_chatter_field(f) for f in fnames):
            return
        closed = self.sudo().filtered(lambda r: r.state == "closed")
        if closed:
            raise UserError(_("Recall %s is closed and can no longer be changed or deleted.")
                            % closed[0].name)

    @api.multi
    def write(self, vals):
        self._check_not_closed(list(vals))
        refuse_unguarded(self, vals, STATE_FIELDS, self._state_refusal())
        return super(SerialRecall, self).write(vals)

    @api.multi
    def unlink(self):
        self._check_not_closed()
        if self.filtered(lambda r: r.state != "draft"):
            raise UserError(_("Only a draft recall can be deleted; close it instead."))
        return super(SerialRecall, self).unlink()

    # -- counters ----------------------------------------------------------------
    @api.depends("line_ids.status", "line_ids.recovered", "line_ids.action_done")
    def _compute_counters(self):
        values = {}
        if self.ids:
            self.env.cr.execute(
                "SELECT recall_id, " + ", ".join(
                    "%s AS %s" % (expr, name) for name, expr in _COUNTERS.items())
                + " FROM serial_recall_line WHERE recall_id IN %s GROUP BY recall_id",
                (tuple(self.ids),))
            values = {row["recall_id"]: row for row in self.env.cr.dictfetchall()}
        for recall in self:
            row = values.get(recall.id, {})
            for name in _COUNTERS:
                recall[name] = row.get(name, 0)
            todo = recall.retrieve_count
            recall.recovered_pct = 100.0 * recall.recovered_count / todo if todo else 0.0

    @api.depends("line_ids.partner_id", "line_ids.at_customer")
    def _compute_partner_ids(self):
        by_recall = {}
        if self.ids:
            self.env.cr.execute("""
                SELECT DISTINCT recall_id, partner_id FROM serial_recall_line
                 WHERE recall_id IN %s AND at_customer AND partner_id IS NOT NULL
            """, (tuple(self.ids),))
            for recall_id, partner_id in self.env.cr.fetchall():
                by_recall.setdefault(recall_id, []).append(partner_id)
        for recall in self:
            partners = by_recall.get(recall.id, [])
            recall.partner_ids = [(6, 0, partners)]
            recall.partner_count = len(partners)

    @api.multi
    def _recompute_from_lines(self):
        """Lines written in SQL: bring the stored counters up to date."""
        self.invalidate_cache()
        for name in list(_COUNTERS) + ["recovered_pct", "partner_ids", "partner_count"]:
            self.env.add_todo(self._fields[name], self)
        self.recompute()

    # -- scope -------------------------------------------------------------------
    @api.model
    def _scope_params(self, lot_ids, include_suspect_stock=True, include_wip=True,
                      include_shipped=True):
        return {
            "lot_ids": list(lot_ids),
            "company_ids": self.env.user.company_ids.ids,
            "max_depth": None,
            "include_suspect_stock": bool(include_suspect_stock),
            "include_wip": bool(include_wip),
            "include_shipped": bool(include_shipped),
            "keep_used": False,
        }

    @api.model
    def _run_scope(self, sql, params, fetch=False):
        """Run a scope statement with JIT compilation off: the recursive walk's cost
        estimate makes PostgreSQL 11+ compile it, which costs more than the query
        (see sql/genealogy.py). Returns the rows (``fetch``) or the row count."""
        cr = self.env.cr
        # the server's version as the host reads it (odoo/service/db.py): no query
        jit = genealogy_sql.has_jit(cr._cnx.server_version)
        if jit:
            cr.execute("SET LOCAL jit = off")
        cr.execute(sql, params)
        result = cr.dictfetchall() if fetch else cr.rowcount
        if jit:
            cr.execute("SET LOCAL jit TO DEFAULT")
        return result

    @api.multi
    def _fill_lines(self):
        """Insert one line per affected unit straight from the scope query, in
        batches of suspect lots, then compute the counters once."""
        self.ensure_one()
        lot_ids = self.suspect_lot_ids.ids
        for start in range(0, len(lot_ids), ROOT_BATCH):
            params = self._scope_params(
                lot_ids[start:start + ROOT_BATCH], self.include_suspect_stock,
                self.include_wip, self.include_shipped)
            params["recall_id"] = self.id
            self._run_scope(recall_sql.insert_lines_sql(), params)
        self._recompute_from_lines()
        return self.line_count

    # -- states ------------------------------------------------------------------
    @api.multi
    def _check_state(self, *states):
        labels = dict(self._fields["state"].selection)
        for recall in self:
            if recall.state not in states:
                raise UserError(_("Recall %(name)s is %(state)s: this step is not possible "
                                  "now.") % {"name": recall.name,
                                             "state": labels[recall.state]})

    @api.multi
    def action_open(self):
        self._check_manager()
        self._check_state("draft")
        guarded(self).write({"state": "open"})
        return True

    @api.multi
    def action_close(self):
        """Closing is signed (21 CFR 11.50): the quality manager's approval signature
        closes the campaign in ``_on_signed``."""
        self.ensure_one()
        self._check_state("open")
        self._check_manager()
        if self.to_recover_count:
            return self._action_ask_closing_reason()
        return self.with_context(default_meaning="approval").action_request_signature()

    @api.multi
    def _check_manager(self):
        if not self.env.user.has_group(QM_GROUP):
            raise AccessError(_("Only a Quality Manager may run a recall."))

    @api.multi
    def _check_signature_allowed(self, meaning):
        res = super(SerialRecall, self)._check_signature_allowed(meaning)
        self._check_manager()
        if meaning != "review":
            self._check_state("open")
            self._check_closing_reason()
        return res

    @api.multi
    def _on_signed(self, signature):
        self.ensure_one()
        if signature.meaning == "review":
            self.message_post(body=_("Reviewed by %s.") % html_escape(signature.signer_name))
            return True
        self._check_state("open")
        guarded(self).write({"state": "closed", "closed_date": fields.Datetime.now()})
        meanings = dict(self.env["serial.signature"]._fields["meaning"].selection)
        body = _("Closed, signed by %(signer)s (%(meaning)s).") % {
            "signer": html_escape(signature.signer_name),
            "meaning": html_escape(meanings[signature.meaning])}
        if self.closing_note:
            body += "<br/>" + _("%(count)d units still at customers: %(reason)s") % {
                "count": self.to_recover_count, "reason": html_escape(self.closing_note)}
        self.message_post(body=body)
        return True

    @api.multi
    def _signature_content(self):
        """What the closing signature binds: the campaign and its outcome, not the
        state that signing itself changes; linked records by id (manifest 2)."""
        self.ensure_one()
        content = {
            "model": self._name, "id": self.id, "name": self.name,
            "company": self.company_id, "reason": self.reason,
            "class": self.recall_class, "drill": bool(self.drill),
            "quality_event": self.quality_event_id,
            "suspect_lots": self.suspect_lot_ids,
            # "to_recover": the units that were at customers (as signed before the
            # counter of those still out existed)
            "units": self.line_count, "to_recover": self.retrieve_count,
            "recovered": self.recovered_count, "contained": self.contained_count,
            "customers": self.partner_ids,
            "notified": self.notified_partner_ids,
        }
        if self.closing_note:
            content["still_at_customers"] = self.to_recover_count
            content["closing_reason"] = self.closing_note
        return content

    # -- lines for people ---------------------------------------------------------
    @api.multi
    def _report_lines(self, limit=REPORT_LINES):
        """The units the PDF report lists (the spreadsheet has them all)."""
        self.ensure_one()
        return self.env["serial.recall.line"].search(
            [("recall_id", "=", self.id)], order="depth desc, id", limit=limit)

    @api.multi
    def _note_export(self):
        """The traceability test's second figure: first export of the scope."""
        # the traceability test's clock stops at the latest when the campaign closes
        for recall in self.filtered(lambda r: r.opened_ts and not r.time_to_export
                                    and r.state != "closed"):
            recall.sudo().write({"time_to_export": max(time.time() - recall.opened_ts, 0.0)})

    @api.multi
    def action_view_lines(self):
        self.ensure_one()
        action = self.env.ref("serial_traceability.serial_recall_line_action").read()[0]
        action["domain"] = [("recall_id", "=", self.id)]
        action["context"] = {"default_recall_id": self.id, "search_default_group_status": 1}
        return action

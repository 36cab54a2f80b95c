# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

from ..sql import recall_scope as recall_sql
from ..models.serial_recall import RECALL_CLASSES
from ..models.serial_recall_line import LINE_STATUSES

PREVIEW_UNITS = 200
PREVIEW_TOP = 50
_COUNT_FIELDS = {status: "count_%s" % status for status in recall_sql.STATUSES}


class SerialRecallWizard(models.TransientModel):
    """From suspect lots to a recall campaign: pick or scan the suspects, see what
    they reach (preview), then create the campaign in one atomic step."""

    _name = "serial.recall.wizard"
    _inherit = ["serial.recall.dialog.mixin"]
    _description = "Start a recall"

    lot_ids = fields.Many2many("stock.production.lot", "serial_recall_wizard_lot_rel",
                               "wizard_id", "lot_id", "Suspect lots/serials")
    # finding suspects by product and date, or by the supplier's lot
    product_id = fields.Many2one("product.product", "Product")
    date_kind = fields.Selection([("any", "Produced or received"), ("production", "Produced"),
                                  ("receipt", "Received")], "Dated by", default="any")
    date_from = fields.Date("From")
    date_to = fields.Date("To")
    vendor_lot = fields.Char("Vendor lot", help="The supplier's lot number, as on the label.")
    supplier_id = fields.Many2one("res.partner", "Supplier")
    # the campaign
    reason = fields.Text()
    recall_class = fields.Selection(RECALL_CLASSES, "Class", default="II", required=True)
    quality_event_id = fields.Many2one("serial.quality.event", "Root-cause quality event")
    drill = fields.Boolean("Mock recall (drill)",
                           help="Run the same flow without e-mailing customers or moving "
                                "stock, and time it: a traceability test.")
    include_suspect_stock = fields.Boolean("Suspect lots' own stock", default=True)
    include_wip = fields.Boolean("Work in progress (open MOs)", default=True)
    include_shipped = fields.Boolean("Shipped units", default=True)
    # the preview
    opened_ts = fields.Float(default=lambda self: time.time(), readonly=True)
    scope_seconds = fields.Float("Scoped in (s)", readonly=True, digits=(16, 3))
    preview_ready = fields.Boolean(readonly=True)
    preview_html = fields.Html(readonly=True, sanitize=False)
    count_total = fields.Integer("Affected units", readonly=True)
    count_customers = fields.Integer("Customers", readonly=True)
    count_shipments = fields.Integer("Deliveries", readonly=True)
    count_locations = fields.Integer("Stock locations", readonly=True)
    count_in_stock = fields.Integer("In our stock", readonly=True)
    count_in_production = fields.Integer("In production", readonly=True)
    count_shipped = fields.Integer("At customers", readonly=True)
    count_returned = fields.Integer("Returned", readonly=True)
    count_scrapped = fields.Integer("Scrapped", readonly=True)
    count_consumed = fields.Integer("Consumed", readonly=True)
    open_recall_ids = fields.Many2many(
        "serial.recall", "serial_recall_wizard_open_recall_rel", "wizard_id", "recall_id",
        "Open recalls of these lots", readonly=True,
        help="Draft or open campaigns that already list one of the suspect lots.")

    @api.model
    def _manager_refusal(self):
        return _("Only a Quality Manager may start a recall.")

    @api.multi
    def _reopen(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "target": "new", "name": _("Start a recall")}

    # -- choosing suspects --------------------------------------------------------------
    @api.multi
    def _scan(self, code):
        """Add what ``code`` names to the suspects; a warning when it names nothing."""
        try:
            lots = self._lots_from_scan(code)
        except UserError as exc:
            lots, message = None, exc.name
        else:
            if lots:
                self.lot_ids |= lots
                self.preview_ready = False
                message = _("Added %s.") % ", ".join(lots.mapped("display_name"))
            else:
                message = _("Nothing found for %s.") % code.strip()
        self.scan_message = message
        if not lots:
            return {"warning": {"title": _("Scan"), "message": message}}

    @api.onchange("lot_ids", "include_suspect_stock", "include_wip", "include_shipped")
    def _onchange_scope(self):
        self.preview_ready = False

    @api.multi
    def _criteria_lots(self):
        """Lots matching the product/date and vendor-lot/supplier criteria."""
        self.ensure_one()
        Lot = self.env["stock.production.lot"]
        lots = None
        if self.product_id or self.date_from or self.date_to:
            domain = [("state", "=", "done"), ("lot_id", "!=", False)]
            if self.product_id:
                domain.append(("product_id", "=", self.product_id.id))
            if self.date_from:
                domain.append(("date", ">=", self.date_from + " 00:00:00"))
            if self.date_to:
                domain.append(("date", "<=", self.date_to + " 23:59:59"))
            # Where a unit came into being: out of production, or in from a supplier.
            if self.date_kind == "production":
                domain.append(("location_id.usage", "=", "production"))
            elif self.date_kind == "receipt":
                domain.append(("location_id.usage", "=", "supplier"))
            else:
                domain.append(("location_id.usage", "in", ("production", "supplier")))
            domain.append(("location_dest_id.usage", "not in", ("production", "supplier")))
            # move lines have no company rule in the host: keep the lots the user sees
            lots = Lot.search([("id", "in", self.env["stock.move.line"].search(domain)
                                .mapped("lot_id").ids)])
        if self.vendor_lot or self.supplier_id:
            domain = []
            if self.vendor_lot:
                domain.append(("vendor_lot", "=", self.vendor_lot.strip()))
            if self.supplier_id:
                domain.append(("supplier_id", "child_of",
                               self.supplier_id.commercial_partner_id.id))
            by_vendor = Lot.search(domain)
            lots = by_vendor if lots is None else lots & by_vendor
        if lots is None:
            raise UserError(_("Give a product or dates, or a vendor lot or supplier, to "
                              "find suspect lots."))
        return lots

    @api.multi
    def action_add_criteria(self):
        self.ensure_one()
        self._check_manager()
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UserError(_("The start date is after the end date."))
        lots = self._criteria_lots()
        if not lots:
            raise UserError(_("No lot or serial matches these criteria."))
        self.write({"lot_ids": [(4, lot.id) for lot in lots], "preview_ready": False,
                    "scan_message": _("Added %d lots/serials.") % len(lots)})
        return self._reopen()

    # -- preview -------------------------------------------------------------------------
    @api.multi
    def _check_suspects(self):
        self.ensure_one()
        self._check_manager()
        if not self.lot_ids:
            raise UserError(_("Choose, scan or find at least one suspect lot or serial."))
        self.lot_ids.check_access_rights("read")
        self.lot_ids.check_access_rule("read")

    @api.multi
    def _params(self):
        return self.env["serial.recall"]._scope_params(
            self.lot_ids.ids, self.include_suspect_stock, self.include_wip,
            self.include_shipped)

    @api.multi
    def action_preview(self):
        """Count what the suspects reach, by status, customer, delivery and
        location, with one query, before anything is written."""
        self._check_suspects()
        params = dict(self._params(), sample_size=PREVIEW_UNITS, top_size=PREVIEW_TOP)
        row = self.env["serial.recall"]._run_scope(recall_sql.preview_sql(), params,
                                                   fetch=True)[0]
        by_status = row["by_status"] or {}
        existing = self._open_recalls()
        vals = {_COUNT_FIELDS[s]: by_status.get(s, 0) for s in recall_sql.STATUSES}
        vals.update(count_total=row["total"], count_customers=row["customers"],
                    count_shipments=row["shipments"], count_locations=row["locations"],
                    preview_html=self._open_recalls_html(existing) + self._preview_html(row),
                    preview_ready=True, open_recall_ids=[(6, 0, existing.ids)],
                    scope_seconds=max(time.time() - (self.opened_ts or time.time()), 0.0))
        self.write(vals)
        return self._reopen()

    @api.multi
    def _open_recalls(self):
        """Draft or open campaigns (that the user may see) already listing a suspect
        lot, as a suspect or as an affected unit."""
        self.ensure_one()
        self.env.cr.execute("""
            SELECT r.id FROM serial_recall r
             WHERE r.state IN ('draft', 'open') AND (
                   EXISTS (SELECT 1 FROM serial_recall_line l
                            WHERE l.recall_id = r.id AND l.lot_id = ANY(%(lots)s))
                OR EXISTS (SELECT 1 FROM serial_recall_suspect_lot_rel s
                            WHERE s.recall_id = r.id AND s.lot_id = ANY(%(lots)s)))
        """, {"lots": self.lot_ids.ids})
        ids = [row[0] for row in self.env.cr.fetchall()]
        return self.env["serial.recall"].search([("id", "in", ids)])

    @api.model
    def _open_recalls_html(self, recalls):
        if not recalls:
            return ""
        return '<div class="alert alert-warning o_recall_existing" role="alert">%s %s</div>' % (
            html_escape(_("These lots are already in an open recall:")), ", ".join(
                '<a href="/web#id=%d&amp;model=serial.recall&amp;view_type=form">%s</a>'
                % (r.id, html_escape(r.name)) for r in recalls))

    @api.model
    def _preview_html(self, row):
        labels = dict(LINE_STATUSES)
        esc = html_escape
        parts = ['<div class="o_serial_recall_preview">']
        parts.append("<p><strong>%s</strong></p>" % esc(_(
            "%(units)d affected units, %(customers)d customers, %(deliveries)d deliveries, "
            "%(locations)d stock locations.") % {
                "units": row["total"], "customers": row["customers"],
                "deliveries": row["shipments"], "locations": row["locations"]}))
        statuses = row["by_status"] or {}
        parts.append('<p class="o_recall_status">%s</p>' % " · ".join(
            "%s: %d" % (esc(labels[s]), statuses[s]) for s in recall_sql.STATUSES
            if statuses.get(s)))
        if row["top_customers"]:
            parts.append('<table class="table table-condensed o_recall_customers"><thead><tr>'
                         "<th>%s</th><th>%s</th></tr></thead><tbody>"
                         % (esc(_("Customer")), esc(_("Units"))))
            parts += ["<tr><td>%s</td><td>%d</td></tr>" % (esc(c["name"]), c["units"])
                      for c in row["top_customers"]]
            parts.append("</tbody></table>")
        if row["top_locations"]:
            parts.append("<p>%s %s</p>" % (esc(_("In stock at:")), esc(", ".join(
                "%s (%d)" % (loc["name"], loc["units"]) for loc in row["top_locations"]))))
        if row["sample"]:
            parts.append('<table class="table table-condensed o_recall_units"><thead><tr>%s'
                         "</tr></thead><tbody>" % "".join(
                             "<th>%s</th>" % esc(h) for h in (
                                 _("Lot/Serial"), _("Product"), _("Level"), _("Status"),
                                 _("Customer"), _("Delivery"))))
            for unit in row["sample"]:
                parts.append("<tr>%s</tr>" % "".join("<td>%s</td>" % esc(v) for v in (
                    unit["lot"], unit["product"], unit["depth"], labels[unit["status"]],
                    unit["customer"] or "", unit["delivery"] or "")))
            parts.append("</tbody></table>")
            if row["total"] > len(row["sample"]):
                parts.append("<p>%s</p>" % esc(_("... and %d more units: create the recall "
                                                 "to list them all.")
                                               % (row["total"] - len(row["sample"]))))
        parts.append("</div>")
        return "".join(parts)

    # -- creation ------------------------------------------------------------------------
    @api.multi
    def action_create_recall(self):
        """Create the campaign and one line per affected unit; atomic: an error
        leaves no campaign and no line behind."""
        self._check_suspects()
        if not (self.reason or "").strip():
            raise UserError(_("Say why the units are recalled (reason)."))
        scope_seconds = self.scope_seconds if self.preview_ready else max(
            time.time() - (self.opened_ts or time.time()), 0.0)
        try:
            with self.env.cr.savepoint():
                recall = self.env["serial.recall"].create({
                    "reason": self.reason.strip(),
                    "recall_class": self.recall_class,
                    "quality_event_id": self.quality_event_id.id,
                    "drill": self.drill,
                    "suspect_lot_ids": [(6, 0, self.lot_ids.ids)],
                    "include_suspect_stock": self.include_suspect_stock,
                    "include_wip": self.include_wip,
                    "include_shipped": self.include_shipped,
                    "opened_ts": self.opened_ts,
                    "time_to_scope": scope_seconds,
                })
                if not recall._fill_lines():
                    raise UserError(_("The suspect lots reach no unit with these options: "
                                      "there is nothing to recall."))
        except Exception:
            # The savepoint undid the rows; the cache must forget them too.
            self.invalidate_cache()
            raise
        return {
            "type": "ir.actions.act_window",
            "name": recall.name,
            "res_model": "serial.recall",
            "res_id": recall.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

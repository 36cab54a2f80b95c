# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The scan screen: scan or type a code, see the unit's history at once.

Everything happens in onchanges (``barcodes.barcode_events_mixin`` delivers a scan
as one), so a lookup reads and never writes: a bad or unknown code leaves nothing
behind. The buttons open the full history and the genealogy of the unit found.
"""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

LOOKUP_STATES = [
    ("empty", "Waiting for a scan"),
    ("found", "Found"),
    ("ambiguous", "Several units"),
    ("not_found", "Not found"),
    ("error", "Unreadable"),
]


class SerialLookup(models.TransientModel):
    _name = "serial.lookup"
    _inherit = ["barcodes.barcode_events_mixin"]
    _description = "Find a unit by scan"
    _rec_name = "lot_id"  # the title follows the unit found (name_get)

    code = fields.Char("Scan or type", help="A serial or lot number, a product barcode "
                       "followed by a serial, or a GS1 code such as "
                       "(01)09506000134352(21)PUMP-0003.")
    # Read-only on the screen but saved (force_save) when a button is clicked.
    last_code = fields.Char()
    state = fields.Selection(LOOKUP_STATES, default="empty")
    message = fields.Char()
    gs1_text = fields.Char("GS1 data")
    include_components = fields.Boolean(
        "With components", default=True,
        help="Also show when the units that went into it were received or built.")
    lot_id = fields.Many2one("stock.production.lot", "Unit")
    # Read as the user (related fields read as superuser by default): a lookup made
    # over RPC with another company's lot must not show that unit's customer.
    product_id = fields.Many2one(related="lot_id.product_id", readonly=True,
                                 related_sudo=False)
    unit_state = fields.Selection(related="lot_id.unit_state", readonly=True,
                                  related_sudo=False)
    customer_id = fields.Many2one(related="lot_id.customer_id", readonly=True,
                                  related_sudo=False)
    candidate_lot_ids = fields.Many2many(
        "stock.production.lot", string="Which one?")
    history_ids = fields.Many2many("serial.unit.history", string="History",
                                   compute="_compute_history_ids")

    @api.multi
    def name_get(self):
        # the breadcrumb back to this screen, once a button opened another one
        return [(lookup.id, _("Find a unit: %s") % lookup.lot_id.name if lookup.lot_id
                 else _("Find a unit")) for lookup in self]

    @api.depends("lot_id", "include_components")
    def _compute_history_ids(self):
        history = self.env["serial.unit.history"]
        for lookup in self:
            if lookup.lot_id:
                rows = history._rows_of_lots(lookup.lot_id, lookup.include_components,
                                             limit=500)
                lookup.history_ids = [(6, 0, [row["id"] for row in rows])]
            else:
                lookup.history_ids = [(5,)]

    def on_barcode_scanned(self, barcode):
        self.code = barcode
        return self._lookup(barcode)

    @api.onchange("code")
    def _onchange_code(self):
        # Setting ``code`` from a scan cascades here: look up once per code.
        if self.code and self.code != self.last_code:
            return self._lookup(self.code)
        if not self.code:
            self._show("empty", "")

    def _show(self, state, message, lots=None, elements=None):
        lots = lots or self.env["stock.production.lot"]
        self.state = state
        self.message = message
        self.lot_id = lots if len(lots) == 1 else False
        self.candidate_lot_ids = lots if len(lots) > 1 else False
        self.gs1_text = "  ".join("(%s) %s" % item for item in (elements or {}).items())

    def _lookup(self, code):
        self.last_code = code
        try:
            found = self.env["stock.production.lot"].find_by_scan(code)
        except UserError as exc:
            self._show("error", exc.name)
            return {"warning": {"title": _("Cannot read this code"), "message": exc.name}}
        lots = self.env["stock.production.lot"].browse(found["lot_ids"])
        products = self.env["product.product"].browse(found["product_ids"])
        elements = found["gs1"]
        if not lots and not elements:
            lots = self._unique_ignoring_case(code)
        if len(lots) == 1:
            self._show("found", "%s %s" % (lots.product_id.display_name, lots.name),
                       lots, elements)
        elif lots:
            self._show("ambiguous",
                       _("%(count)d products have a unit %(name)s: pick the right one.")
                       % {"count": len(lots), "name": lots[0].name}, lots, elements)
        else:
            self._show("not_found", self._not_found_message(code, products, elements),
                       None, elements)

    def _unique_ignoring_case(self, code):
        """The one unit whose number is ``code`` in other letter case (``pump-0007``
        typed for PUMP-0007); none when several are, as a person typing cannot
        mean two of them. Only on this screen, which reads and never writes: the scan
        screens that receive, ship or consume stay exact."""
        escaped = code.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        lots = self.env["stock.production.lot"].search([("name", "=ilike", escaped)], limit=2)
        return lots if len(lots) == 1 else lots.browse()

    def _not_found_message(self, code, products, elements):
        serial = elements.get("21") or elements.get("10")
        if elements and not serial:
            if products:
                return _("This code names the product %s but no serial or lot: scan the "
                         "code that carries the serial.") % products[0].display_name
            return _("This GS1 code names no serial or lot.")
        if elements and ("01" in elements or "02" in elements) and not products:
            return _("No product has the GTIN %s.") % (elements.get("01") or elements["02"])
        if products:
            return _("No unit %(serial)s of %(product)s was found.") % {
                "serial": serial, "product": products[0].display_name}
        return _("No lot or serial number %s was found.") % (serial or code)

    @api.multi
    def _unit(self):
        self.ensure_one()
        if not self.lot_id:
            raise UserError(_("Scan a unit first."))
        return self.lot_id

    @api.multi
    def action_open_history(self):
        return self._unit().action_open_unit_history(self.include_components)

    @api.multi
    def action_trace_backward(self):
        return self._unit().action_trace_backward()

    @api.multi
    def action_trace_forward(self):
        return self._unit().action_trace_forward()

    @api.multi
    def action_open_unit(self):
        return self._unit().action_open_form()

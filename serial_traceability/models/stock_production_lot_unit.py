# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What users ask of a unit first: who made it, who sold it to us, who has it.

The fields are stored so the host's lot list can search and group on them; one SQL
statement (``_recompute_unit_fields``) derives them from the host's done move lines,
called wherever the host finishes or edits stock moves (see ``stock_move_unit.py``
and ``stock_move_line_unit.py``). Nothing else writes them, so they cannot drift
from the moves; ``vendor_lot`` is the one field users type.
"""
from odoo import _, api, fields, models

from ..sql import unit_fields as unit_fields_sql
from .serial_actions import window_action
from .serial_guard import refuse_computed

UNIT_STATES = [
    ("in_stock", "In stock"),
    ("consumed", "Consumed / unbuilt"),
    ("shipped", "Shipped"),
    ("returned", "Returned"),
    ("scrapped", "Scrapped"),
    ("quarantined", "Quarantined"),
]
UNIT_FIELDS = ["production_id", "supplier_id", "customer_id", "ship_date", "unit_state",
               "delivery_picking_id", "current_location_id"]
# Lot columns only a recompute writes (this SQL, or the ORM's recompute of stored
# computed fields, neither of which goes through write): a recall's scope and the
# warranty read them, so no one edits them by hand (issue 14).
DERIVED_FIELDS = UNIT_FIELDS + ["quality_state", "warranty_start", "warranty_end"]


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    production_id = fields.Many2one(
        "mrp.production", "Built by", readonly=True, index=True, copy=False,
        help="The manufacturing order that built this unit.")
    supplier_id = fields.Many2one(
        "res.partner", "Supplier", readonly=True, index=True, copy=False,
        help="Who we first received this lot/serial from.")
    vendor_lot = fields.Char(
        "Vendor lot", index=True, copy=False, track_visibility="onchange",
        help="The supplier's own lot or serial number, as printed on their label.")
    customer_id = fields.Many2one(
        "res.partner", "Last customer", readonly=True, index=True, copy=False,
        help="The customer of the last delivery of this unit (kept after a return).")
    ship_date = fields.Datetime("Last shipped on", readonly=True, copy=False)
    delivery_picking_id = fields.Many2one(
        "stock.picking", "Last delivery", readonly=True, copy=False,
        help="The transfer of the last delivery of this unit to a customer.")
    # Stored so that a trace of 25,000 units reads where each one is from the lot row
    # instead of probing the host's move lines once per unit (benchmarks/genealogy.py).
    current_location_id = fields.Many2one(
        "stock.location", "Current location", readonly=True, index=True, copy=False,
        help="Where the last done move of this unit took it.")
    unit_state = fields.Selection(
        UNIT_STATES, "Unit status", readonly=True, index=True, copy=False,
        help="From the done stock moves: in our stock (returned: it came back from a "
             "customer; quarantined: on quality hold), consumed into another product or "
             "unbuilt, shipped to a customer or back to the supplier, or scrapped.")
    unit_history_count = fields.Integer(compute="_compute_unit_history_count")

    # -- keeping the fields right -------------------------------------------------
    @api.model
    def _unit_fields_sql(self, install=False):
        """The recompute statement (``sql/unit_fields.py``), reading the hold column
        once the quality feature has created it."""
        hold = "FALSE"
        field = self._fields.get("quality_hold")
        if field is not None and field.store and field.type == "boolean":
            hold = "COALESCE(l.quality_hold, FALSE)"
        return unit_fields_sql.recompute_sql(hold, install=install)

    @api.multi
    def _recompute_unit_fields(self):
        """Derive the stored unit fields of these lots from their done move lines."""
        ids = [i for i in self.ids if isinstance(i, int)]
        if not ids:
            return
        self.env.cr.execute(self._unit_fields_sql(), {"lot_ids": ids})
        self.invalidate_cache(fnames=UNIT_FIELDS, ids=ids)

    @api.model
    def _backfill_unit_fields(self, chunk=100000, log=None):
        """The unit fields of every lot, from the history, into the install's work
        table (``serial.install`` writes them): ``chunk`` lots per statement,
        ``log(done, total)`` after each. Returns how many lots have values."""
        chunks, total = self.env["serial.install"]._ranges("stock_production_lot", chunk)
        sql, found = self._unit_fields_sql(install=True), 0
        for start, stop, done in chunks:
            self.env.cr.execute(sql, {"first": start, "stop": stop})
            found += self.env.cr.rowcount
            if log:
                log(done, total)
        return found

    @api.model
    def create(self, vals):
        refuse_computed(self, {k: v for k, v in vals.items() if v}, DERIVED_FIELDS)
        return super(StockProductionLot, self).create(vals)

    @api.multi
    def write(self, vals):
        refuse_computed(self, vals, DERIVED_FIELDS)
        res = super(StockProductionLot, self).write(vals)
        if "quality_hold" in vals:
            self._recompute_unit_fields()
        return res

    # -- history ------------------------------------------------------------------
    @api.multi
    def _compute_unit_history_count(self):
        history = self.env["serial.unit.history"]
        counts = {}
        if self.ids and history.check_access_rights("read", raise_exception=False):
            for group in history.read_group([("lot_id", "in", self.ids)], ["lot_id"],
                                            ["lot_id"]):
                counts[group["lot_id"][0]] = group["lot_id_count"]
        for lot in self:
            lot.unit_history_count = counts.get(lot.id, 0)

    @api.multi
    def get_unit_history(self, include_components=False):
        """This unit's timeline, newest first, as dicts of the history's columns
        (``include_components``: also how the units that went into it, at every
        level, were received or built). One indexed query on the history view."""
        self.check_access_rights("read")
        self._check_trace_request("backward")
        history = self.env["serial.unit.history"]
        # Dates come as UTC strings (Odoo's cursor), ready for JSON.
        return history._rows_of_lots(self, bool(include_components))

    @api.multi
    def action_open_unit_history(self, include_components=False):
        history = self.env["serial.unit.history"]
        names = ", ".join(self[:3].mapped("name")) + (", ..." if len(self) > 3 else "")
        return window_action(self.env, "serial_traceability.serial_unit_history_action",
                             _("History of %s") % names,
                             domain=history._domain_for_lots(self, include_components),
                             context={"search_default_filter_no_moves": 1})

    @api.multi
    def action_open_unit_history_with_components(self):
        return self.action_open_unit_history(include_components=True)

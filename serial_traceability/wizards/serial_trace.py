# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp

from ..models.stock_production_lot_unit import UNIT_STATES as LOT_UNIT_STATES
from ..sql import trace as trace_sql

# The lot's own status (one vocabulary, kept on the lot from its done moves), and
# the rows of components that carry no lot.
UNIT_STATES = LOT_UNIT_STATES + [("untracked", "Not tracked")]


class SerialTrace(models.TransientModel):
    """One all-levels trace of a lot, materialised so the host's list view can
    search, group, sort and export it."""

    _name = "serial.trace"
    _inherit = ["serial.checked.mixin"]
    _description = "Lot/serial trace"

    lot_ids = fields.Many2many("stock.production.lot", required=True, readonly=True)
    direction = fields.Selection([("forward", "Where used"), ("backward", "Where from")],
                                 required=True, readonly=True)
    line_ids = fields.One2many("serial.trace.line", "trace_id", readonly=True)

    @api.model_cr
    def init(self):
        self.env.cr.execute(trace_sql.UNTRACKED_INDEX)

    @api.model
    def open_for_lots(self, lots, direction, filter_shipped=False):
        for lot in lots:
            lot._check_trace_request(direction)
        trace = self.create({"lot_ids": [(6, 0, lots.ids)], "direction": direction})
        trace._fill()
        names = ", ".join(lots[:3].mapped("name")) + (", ..." if len(lots) > 3 else "")
        label = _("Where %s was used") if direction == "forward" else _("What went into %s")
        context = {"search_default_group_depth": 0}
        if filter_shipped:
            context = {"search_default_filter_shipped": 1, "search_default_group_partner": 1}
        return {
            "type": "ir.actions.act_window",
            "name": label % names,
            "display_name": label % names,
            "res_model": "serial.trace.line",
            "view_mode": "tree,pivot",
            "views": [(self.env.ref("serial_traceability.serial_trace_line_view_tree").id,
                       "tree"), (False, "pivot")],
            "search_view_id": self.env.ref(
                "serial_traceability.serial_trace_line_view_search").id,
            "domain": [("trace_id", "=", trace.id)],
            "context": context,
        }

    @api.multi
    def _fill(self):
        """Insert the trace's rows straight from the genealogy query: no ORM record
        per row, whatever the trace's size."""
        self.ensure_one()
        for lot in self.lot_ids:
            self._fill_one(lot)

    @api.multi
    def _fill_one(self, lot):
        params = lot._genealogy_params(lot.id, None)
        params.update(trace_id=self.id, root_lot_id=lot.id, uid=self.env.uid)
        self.env.cr.execute(trace_sql.fill_rows_sql(
            lot._genealogy_sql("trace", self.direction, params), self.direction), params)
        if self.direction == "backward":
            self.env.cr.execute(trace_sql.UNTRACKED_COMPONENTS, params)


class SerialTraceLine(models.TransientModel):
    _name = "serial.trace.line"
    _description = "Lot/serial trace row"
    _order = "depth, id"
    _rec_name = "lot_id"

    trace_id = fields.Many2one("serial.trace", required=True, ondelete="cascade",
                               index=True, readonly=True)
    root_lot_id = fields.Many2one("stock.production.lot", "Traced from", readonly=True)
    lot_id = fields.Many2one("stock.production.lot", "Lot/Serial", readonly=True)
    parent_lot_id = fields.Many2one("stock.production.lot", "Reached from", readonly=True)
    depth = fields.Integer(readonly=True, group_operator="max")
    production_id = fields.Many2one("mrp.production", "Manufacturing order", readonly=True)
    product_id = fields.Many2one("product.product", "Product", readonly=True)
    qty = fields.Float(
        "Quantity", digits=dp.get_precision("Product Unit of Measure"), readonly=True,
        help="How much of the component went through this link: where from, this row's "
             "lot or product into the unit it was reached from; where used, the unit it "
             "was reached from into this row's unit.")
    uom_id = fields.Many2one("product.uom", "Unit of measure", readonly=True)
    location_id = fields.Many2one("stock.location", "Location", readonly=True)
    unit_state = fields.Selection(UNIT_STATES, "Status", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    picking_id = fields.Many2one("stock.picking", "Delivery", readonly=True)
    ship_date = fields.Datetime("Ship date", readonly=True)

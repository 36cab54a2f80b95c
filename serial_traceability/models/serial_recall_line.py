# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..sql import recall_scope as recall_sql

LINE_STATUSES = [
    ("in_stock", "In our stock"),
    ("in_production", "In production"),
    ("shipped", "At customer"),
    ("returned", "Returned"),
    ("scrapped", "Scrapped / written off"),
    ("consumed", "Consumed into another unit"),
]

LINE_ACTIONS = [
    ("quarantine", "Quarantine"),
    ("hold_production", "Hold in production"),
    ("retrieve", "Retrieve from customer"),
    ("none", "None (traced through the unit it went into)"),
]


class SerialRecallLine(models.Model):
    """One affected unit of a recall campaign.

    Lines are written by ``INSERT ... SELECT`` from the recall's scope query (see
    ``sql/recall_scope.py``), never one ORM record at a time: a recall may hold
    100,000 units. Afterwards the ORM only flips containment and recovery flags.
    """

    _name = "serial.recall.line"
    _inherit = ["serial.audited.mixin"]
    _description = "Recall: affected unit"
    # Who recorded a recovery, and when, belongs in the trail; the SQL-inserted
    # scope is covered by the campaign's own entries.
    _audit_fields = ["recovered", "recovered_date", "recovery_picking_id"]
    _order = "recall_id desc, depth desc, id"
    _rec_name = "lot_id"
    # Lines are written in bulk by SQL: every foreign key costs a check per row
    # (create_uid/write_uid included), so the table keeps only the keys it is
    # searched and grouped by; who changed a line is in the audit trail.
    _log_access = False

    recall_id = fields.Many2one("serial.recall", "Recall", required=True,
                                ondelete="cascade", readonly=True)
    recall_state = fields.Selection(related="recall_id.state", readonly=True)
    root_lot_id = fields.Many2one("stock.production.lot", "Suspect lot", readonly=True)
    lot_id = fields.Many2one("stock.production.lot", "Lot/Serial", required=True,
                             index=True, readonly=True, ondelete="cascade")
    product_id = fields.Many2one("product.product", "Product", readonly=True)
    path = fields.Char(readonly=True, help="From the suspect lot to this unit.")
    depth = fields.Integer(readonly=True, group_operator="max",
                           help="0: the suspect lot itself; 1: made from it; ...")
    production_id = fields.Many2one(related="lot_id.production_id", readonly=True,
                                    string="Built by")
    wip_production_id = fields.Many2one(
        "mrp.production", "Open MO using it", readonly=True,
        help="An unfinished manufacturing order that consumes or builds this unit.")
    status = fields.Selection(LINE_STATUSES, readonly=True,
                              help="Where the unit was when the recall was created.")
    location_id = fields.Many2one("stock.location", "Location", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True,
                                 help="The customer of its last delivery.")
    picking_id = fields.Many2one("stock.picking", "Delivery", readonly=True)
    ship_date = fields.Datetime(readonly=True)
    at_customer = fields.Boolean(
        readonly=True, help="Its last customer move was a delivery, not a return.")
    qty = fields.Float("Quantity", readonly=True, digits=(16, 3))
    uom_id = fields.Many2one(related="product_id.uom_id", readonly=True,
                             string="Unit of measure")
    action = fields.Selection(LINE_ACTIONS, readonly=True)
    action_done = fields.Boolean("Contained", readonly=True)
    action_date = fields.Datetime("Contained on", readonly=True)
    recovered = fields.Boolean(readonly=True)
    recovered_date = fields.Datetime(readonly=True)
    recovered_unit = fields.Integer(
        "Recovered units", compute="_compute_recovered_unit", store=True,
        help="1 once recovered: summed in the pivot and graph views.")
    recovery_picking_id = fields.Many2one("stock.picking", "Return", readonly=True)

    _sql_constraints = [
        ("recall_lot_uniq", "unique (recall_id, lot_id)",
         "A unit appears once per recall."),
    ]

    @api.model_cr
    def init(self):
        for statement in recall_sql.INDEXES:
            self.env.cr.execute(statement)

    @api.depends("recovered")
    def _compute_recovered_unit(self):
        for line in self:
            line.recovered_unit = 1 if line.recovered else 0

    @api.multi
    def _mark_recovered(self, picking=None):
        """Recovered: the unit is back in our hands. Lines of campaigns not open, and
        lines already recovered, are left alone; returns the lines changed."""
        todo = self.filtered(lambda l: not l.recovered and l.recall_id.state == "open")
        if todo:
            now = fields.Datetime.now()
            todo.write({
                "recovered": True, "recovered_date": now,
                "recovery_picking_id": picking.id if picking else False,
                "action_done": True, "action_date": now,
            })
        return todo

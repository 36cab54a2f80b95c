# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..sql import recall_scope as recall_sql
from .serial_guard import guarded, is_guarded

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
    100,000 units. Afterwards the ORM only flips containment and recovery flags,
    through the campaign's methods (``_mark_contained``, ``_mark_recovered``): a line
    is the record of what the scope found and what was done, so ``create``,
    ``write`` and ``unlink`` refuse everyone else, and every change to a closed
    campaign's lines (issue 14).
    """

    _name = "serial.recall.line"
    _inherit = ["serial.audited.mixin", "serial.checked.mixin"]
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
                              help="Where the unit is now (kept up to date by its moves).")
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

    # -- written by the campaign only ------------------------------------------------
    @api.model
    def _check_guarded(self, recalls):
        """Nobody edits lines by hand, whatever their rights: an access refusal."""
        if not is_guarded(self):
            raise AccessError(_("The affected units of a recall are what its scope found; "
                                "they change only through the campaign's steps "
                                "(quarantine, recovery), not by hand."))
        closed = recalls.sudo().filtered(lambda r: r.state == "closed")
        if closed:
            raise AccessError(_("Recall %s is closed: its units can no longer be changed.")
                              % closed[0].name)

    @api.model
    def create(self, vals):
        self._check_guarded(self.env["serial.recall"].browse(vals.get("recall_id")))
        return super(SerialRecallLine, self).create(vals)

    @api.multi
    def write(self, vals):
        recalls = self.sudo().mapped("recall_id")
        if vals.get("recall_id"):
            recalls |= recalls.browse(vals["recall_id"])
        self._check_guarded(recalls)
        return super(SerialRecallLine, self).write(vals)

    @api.multi
    def unlink(self):
        self._check_guarded(self.sudo().mapped("recall_id"))
        return super(SerialRecallLine, self).unlink()

    @api.multi
    def _open_lines(self):
        return self.filtered(lambda l: l.recall_id.state == "open")

    @api.multi
    def _mark_contained(self):
        """Quarantined or held in production, now."""
        guarded(self._open_lines()).write({"action_done": True,
                                           "action_date": fields.Datetime.now()})

    @api.multi
    def _mark_recovered(self, picking=None):
        """Recovered: the unit is back in our hands. Lines of campaigns not open, and
        lines already recovered, are left alone; returns the lines changed."""
        todo = self._open_lines().filtered(lambda l: not l.recovered)
        if todo:
            now = fields.Datetime.now()
            guarded(todo).write({
                "recovered": True, "recovered_date": now,
                "recovery_picking_id": picking.id if picking else False,
                "action_done": True, "action_date": now,
            })
        return todo

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

WARRANTY_STATES = [
    ("no_warranty", "No warranty"),
    ("not_started", "Not started"),
    ("active", "Active"),
    ("expired", "Expired"),
]


class StockProductionLot(models.Model):
    """The warranty of a unit runs from its first delivery to a customer.

    Dates are UTC calendar days (the host stores datetimes in UTC); the end date is the
    last covered day: 24 months from 2026-01-15 end on 2028-01-14.
    """

    _inherit = "stock.production.lot"

    # Only a dependency of warranty_start: lets the ORM recompute it when a delivery of
    # the unit is validated, returned or corrected.
    warranty_move_line_ids = fields.One2many("stock.move.line", "lot_id", readonly=True)
    warranty_start = fields.Date(
        compute="_compute_warranty_start", store=True, readonly=True,
        help="Date of the unit's first delivery to a customer.")
    warranty_end = fields.Date(compute="_compute_warranty_end", store=True, readonly=True,
                               help="Last day under warranty.")
    warranty_state = fields.Selection(
        WARRANTY_STATES, compute="_compute_warranty_state", search="_search_warranty_state")

    @api.depends("warranty_move_line_ids.state", "warranty_move_line_ids.date",
                 "warranty_move_line_ids.location_dest_id")
    def _compute_warranty_start(self):
        for lot in self:
            dates = [ml.date for ml in lot.warranty_move_line_ids
                     if ml.state == "done" and ml.location_dest_id.usage == "customer"]
            lot.warranty_start = min(dates)[:10] if dates else False

    @api.depends("warranty_start", "product_id.product_tmpl_id.warranty_months")
    def _compute_warranty_end(self):
        for lot in self:
            months = lot.product_id.product_tmpl_id.warranty_months
            if lot.warranty_start and months > 0:
                start = fields.Date.from_string(lot.warranty_start)
                lot.warranty_end = fields.Date.to_string(
                    start + relativedelta(months=months, days=-1))
            else:
                lot.warranty_end = False

    @api.model
    def _serial_new_lot_values(self, product):
        values = super(StockProductionLot, self)._serial_new_lot_values(product)
        values.update(warranty_start=False, warranty_end=False)  # never delivered
        return values

    @api.multi
    def _compute_warranty_state(self):
        today = fields.Date.today()
        for lot in self:
            if lot.product_id.product_tmpl_id.warranty_months <= 0:
                lot.warranty_state = "no_warranty"
            elif not lot.warranty_start:
                lot.warranty_state = "not_started"
            else:
                lot.warranty_state = "active" if lot.warranty_end >= today else "expired"

    @api.model
    def _search_warranty_state(self, operator, value):
        if operator not in ("=", "!=") or value not in dict(WARRANTY_STATES):
            raise UserError(_("Search the warranty state with = or != and one of: %s.")
                            % ", ".join(dict(WARRANTY_STATES)))
        today = fields.Date.today()
        has = [("product_id.product_tmpl_id.warranty_months", ">", 0)]
        domain = {
            "no_warranty": [("product_id.product_tmpl_id.warranty_months", "<=", 0)],
            "not_started": has + [("warranty_start", "=", False)],
            "active": has + [("warranty_end", ">=", today)],
            "expired": has + [("warranty_end", "<", today)],
        }[value]
        # the host splices this domain in leaf by leaf: it must carry its own operators
        domain = expression.normalize_domain(domain)
        return ["!"] + domain if operator == "!=" else domain

    @api.multi
    def _warranty_covers(self, day):
        """Was this unit under warranty on ``day`` (a date)?"""
        self.ensure_one()
        if not (self.warranty_start and self.warranty_end):
            return False
        return (fields.Date.from_string(self.warranty_start) <= day
                <= fields.Date.from_string(self.warranty_end))

    @api.multi
    def _warranty_text(self):
        self.ensure_one()
        if self.product_id.product_tmpl_id.warranty_months <= 0:
            return _("%s: no warranty") % self.name
        if not self.warranty_start:
            return _("%s: not delivered yet") % self.name
        return _("%(lot)s: warranty %(start)s to %(end)s") % {
            "lot": self.name, "start": self.warranty_start, "end": self.warranty_end}

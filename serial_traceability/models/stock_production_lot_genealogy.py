# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import itertools

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..sql import genealogy as genealogy_sql
from .serial_actions import window_action

DIRECTIONS = ("forward", "backward")


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    component_lot_ids = fields.Many2many(
        "stock.production.lot", string="Components", compute="_compute_genealogy_links",
        help="Lots and serials consumed directly into this one.")
    used_in_lot_ids = fields.Many2many(
        "stock.production.lot", string="Used in", compute="_compute_genealogy_links",
        help="Lots and serials this one was consumed into directly.")
    component_count = fields.Integer(compute="_compute_genealogy_links")
    used_in_count = fields.Integer(compute="_compute_genealogy_links")

    @api.multi
    def _compute_genealogy_links(self):
        edges = self.env["serial.genealogy.edge"].search([
            "|", ("component_lot_id", "in", self.ids), ("parent_lot_id", "in", self.ids)])
        for lot in self:
            lot.component_lot_ids = edges.filtered(
                lambda e, lot=lot: e.parent_lot_id == lot).mapped("component_lot_id")
            lot.used_in_lot_ids = edges.filtered(
                lambda e, lot=lot: e.component_lot_id == lot).mapped("parent_lot_id")
            lot.component_count = len(lot.component_lot_ids)
            lot.used_in_count = len(lot.used_in_lot_ids)

    # -- the engine ------------------------------------------------------------
    @api.model
    def _genealogy_params(self, lot_id, max_depth):
        if max_depth is not None and (not isinstance(max_depth, int) or max_depth < 1):
            raise UserError(_("The depth limit must be a whole number of at least 1."))
        return {
            "lot_id": lot_id,
            "company_ids": self.env.user.company_ids.ids,
            "max_depth": max_depth,
        }

    @api.model
    def _sees_every_company(self, company_ids):
        self.env.cr.execute("SELECT NOT EXISTS (SELECT 1 FROM res_company"
                            " WHERE id <> ALL(%s::int[]))", (company_ids,))
        return self.env.cr.fetchone()[0]

    @api.model
    def _genealogy_sql(self, kind, direction, params):
        """The trace query for ``params``: the kept forward closure where it answers
        (it holds every company's links), the walk otherwise."""
        kept = direction == "forward" and self._sees_every_company(params["company_ids"])
        builder = genealogy_sql.trace_sql if kind == "trace" else genealogy_sql.walk_sql
        return builder(direction, kept=kept)

    @api.multi
    def _check_trace_request(self, direction):
        if direction not in DIRECTIONS:
            raise UserError(_("A trace goes 'forward' (where used) or 'backward' "
                              "(where from), not %r.") % (direction,))
        if len(self) != 1:
            raise UserError(_("Trace one lot or serial at a time."))
        try:
            self.check_access_rights("read")
            self.check_access_rule("read")
            self.exists().ensure_one()
        except (AccessError, ValueError):
            raise UserError(_("Lot/serial #%s does not exist or you may not read it.")
                            % self.id)

    @api.multi
    def get_genealogy(self, direction, max_depth=None):
        """All lots/serials reached from this one, at every level.

        ``'forward'``: the units it went into (where used); ``'backward'``: what
        went into it (where from). Returns ``[{lot_id, parent_lot_id, depth,
        production_id}]`` where ``parent_lot_id`` is the lot each row was reached
        from; the lot itself is not included. Each link is reported once, at the
        shortest depth of the lot it leaves from plus one; a rework link back into
        a lot already reached is reported, not followed. Read from the kept forward
        closure for a user who may see every company, otherwise one recursive query
        over the links of the companies the user may see.
        """
        self._check_trace_request(direction)
        params = self._genealogy_params(self.id, max_depth)
        self.env.cr.execute(self._genealogy_sql("walk", direction, params), params)
        return self._fetch_rows()

    @api.multi
    def get_trace(self, direction, max_depth=None):
        """``get_genealogy`` plus, per reached unit, its product, current location
        and last customer delivery (partner, picking, date)."""
        self._check_trace_request(direction)
        params = self._genealogy_params(self.id, max_depth)
        self.env.cr.execute(self._genealogy_sql("trace", direction, params), params)
        return self._fetch_rows()

    @api.model
    def _fetch_rows(self):
        """The last query's rows as dicts. The cursor's ``dictfetchall`` rebuilds each
        row key by key from the description: 90 ms against 50 ms for the 75,000 rows of
        the genealogy benchmark's trace."""
        columns = [column[0] for column in self.env.cr.description]
        return list(map(dict, map(zip, itertools.repeat(columns), self.env.cr.fetchall())))

    # -- buttons ---------------------------------------------------------------
    @api.multi
    def _lot_list_action(self, lots, name):
        # a list of the units a genealogy names: nothing to create or import there
        tree = self.env.ref("serial_traceability.stock_production_lot_view_tree_units")
        return window_action(self.env, "stock.action_production_lot_form", name,
                             domain=[("id", "in", lots.ids)], context={},
                             views=[(tree.id, "tree"), (False, "form")])

    @api.multi
    def action_open_form(self):
        """This unit's own form, with its genealogy buttons (the host's default form
        for a lot opened without an action is the short one)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.display_name,
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref("stock.view_production_lot_form").id, "form")],
            "target": "current",
        }

    @api.multi
    def action_view_components(self):
        self.ensure_one()
        return self._lot_list_action(self.component_lot_ids,
                                     _("Components of %s") % self.name)

    @api.multi
    def action_view_used_in(self):
        self.ensure_one()
        return self._lot_list_action(self.used_in_lot_ids, _("%s used in") % self.name)

    @api.multi
    def action_trace_forward(self):
        return self.env["serial.trace"].open_for_lots(self, "forward")

    @api.multi
    def action_trace_backward(self):
        return self.env["serial.trace"].open_for_lots(self, "backward")

    @api.multi
    def action_view_customers(self):
        return self.env["serial.trace"].open_for_lots(self, "forward", filter_shipped=True)

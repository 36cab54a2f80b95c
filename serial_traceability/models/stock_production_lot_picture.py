# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A unit's genealogy as a picture (lib/genealogy_dot.py draws it with Graphviz):
the data is the two traces the genealogy engine already answers, and one query for
the status of every unit in them."""
from odoo import _, api, models
from odoo.exceptions import UserError

from ..lib import genealogy_dot

# Units of our stock, by the unit fields' status
IN_STOCK = ("in_stock", "returned", "quarantined")


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    @api.model
    def _picture_units(self, lot_ids):
        """{lot id: (name, product id, status, unit_state, customer id)} of
        ``lot_ids``, in one query: tens of thousands of units in a wide trace."""
        hold = "l.quality_hold" if "quality_hold" in self._fields else "FALSE"
        self.env.cr.execute("""
            WITH recalled AS (
                SELECT DISTINCT rl.lot_id FROM serial_recall_line rl
                  JOIN serial_recall r ON r.id = rl.recall_id AND r.state = 'open')
            SELECT l.id, l.name, l.product_id, l.unit_state, COALESCE(%s, FALSE),
                   recalled.lot_id IS NOT NULL, l.customer_id
              FROM unnest(%%s::int[]) AS unit(id)
              JOIN stock_production_lot l ON l.id = unit.id
              LEFT JOIN recalled ON recalled.lot_id = l.id""" % hold, (list(lot_ids),))
        result = {}
        for lot_id, name, product_id, state, held, recalled, customer in \
                self.env.cr.fetchall():
            status = ("recalled" if recalled else "on_hold" if held
                      else "in_stock" if state in IN_STOCK
                      else state if state in genealogy_dot.STATUSES else "other")
            result[lot_id] = (name, product_id, status, state, customer)
        return result

    @api.multi
    def _picture_links(self):
        """[Link] of this unit's two traces: the genealogy walks alone (each unit's
        status comes from ``_picture_units``, once per unit)."""
        links = []
        for direction in ("backward", "forward"):
            params = self._genealogy_params(self.id, None)
            self.env.cr.execute(self._genealogy_sql("walk", direction, params), params)
            backward = direction == "backward"
            links += [genealogy_dot.Link(lot_id, parent_id, direction, depth) if backward
                      else genealogy_dot.Link(parent_id, lot_id, direction, depth)
                      for lot_id, parent_id, depth, _mo in self.env.cr.fetchall()]
        return links

    @api.multi
    def _genealogy_picture(self, **grouping):
        """``genealogy_dot.Picture`` of this unit: backward to the raw material lots,
        forward to the finished units and the customers who received them.
        ``grouping``: the Picture's ``group_above`` and ``keep_small``."""
        self._check_trace_request("backward")
        links = self._picture_links()
        found = self._picture_units(
            {self.id} | {link.component for link in links} | {link.produced for link in links})
        forward = {self.id} | {link.produced for link in links if link.side == "forward"}
        deliveries = [(lot_id, row[4]) for lot_id, row in found.items()
                      if row[3] == "shipped" and row[4] and lot_id in forward]
        products = dict(self.env["product.product"].sudo().browse(
            list({row[1] for row in found.values()})).name_get())
        units = {lot_id: genealogy_dot.Unit(lot_id, row[0], row[1], products[row[1]], row[2])
                 for lot_id, row in found.items()}
        partners = self.env["res.partner"].sudo().browse(
            list({partner_id for _u, partner_id in deliveries}))
        return genealogy_dot.Picture(self.id, units, links, deliveries,
                                     dict(partners.name_get()), **grouping)

    @api.multi
    def _genealogy_svg(self, **grouping):
        """(svg text, Picture) of this unit's genealogy."""
        picture = self._genealogy_picture(**grouping)
        try:
            return genealogy_dot.render_svg(picture.dot()), picture
        except genealogy_dot.PictureError as exc:
            raise UserError(str(exc))

    @api.multi
    def action_open_genealogy_picture(self):
        self.ensure_one()
        self._check_trace_request("backward")
        picture = self.env["serial.genealogy.picture"].create({"lot_id": self.id})
        name = _("Genealogy of %s") % self.name
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "display_name": name,
            "res_model": picture._name,
            "res_id": picture.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    @api.multi
    def action_open_genealogy_group(self, side, level, product_id):
        """The units a group node of the picture stands for, as a trace list."""
        self.ensure_one()
        if side not in ("backward", "forward") or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in (level, product_id)):
            raise UserError(_("Open a group as a side ('backward' or 'forward'), a level and "
                              "a product id."))
        action = self.env["serial.trace"].open_for_lots(self, side)
        product = self.env["product.product"].browse(product_id).exists()
        action["domain"] = action["domain"] + [("depth", "=", level),
                                               ("product_id", "=", product_id)]
        action["name"] = action["display_name"] = _("%(trace)s: %(product)s, level %(level)d") % {
            "trace": action["name"], "product": product.display_name, "level": level}
        action["context"] = {}
        return action

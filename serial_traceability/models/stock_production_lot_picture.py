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

    @api.multi
    def _picture_statuses(self, lot_ids):
        """{lot id: (name, product id, status)} of ``lot_ids``, in one query."""
        hold = "l.quality_hold" if "quality_hold" in self._fields else "FALSE"
        self.env.cr.execute("""
            SELECT l.id, l.name, l.product_id, l.unit_state, COALESCE(%s, FALSE),
                   EXISTS (SELECT 1 FROM serial_recall_line rl
                             JOIN serial_recall r ON r.id = rl.recall_id
                            WHERE rl.lot_id = l.id AND r.state = 'open')
              FROM stock_production_lot l WHERE l.id = ANY(%%s)""" % hold, (list(lot_ids),))
        result = {}
        for lot_id, name, product_id, state, held, recalled in self.env.cr.fetchall():
            status = ("recalled" if recalled else "on_hold" if held
                      else "in_stock" if state in IN_STOCK
                      else state if state in genealogy_dot.STATUSES else "other")
            result[lot_id] = (name, product_id, status)
        return result

    @api.multi
    def _genealogy_picture(self, **grouping):
        """``genealogy_dot.Picture`` of this unit: backward to the raw material lots,
        forward to the finished units and their customers. ``grouping``: the
        Picture's ``group_above`` and ``keep_small``."""
        self.ensure_one()
        links, deliveries = [], []
        for direction in ("backward", "forward"):
            for row in self.get_trace(direction):
                component, produced = (row["lot_id"], row["parent_lot_id"]) \
                    if direction == "backward" else (row["parent_lot_id"], row["lot_id"])
                links.append(genealogy_dot.Link(component, produced, direction, row["depth"]))
                if direction == "forward" and row["location_usage"] == "customer" \
                        and row["partner_id"]:
                    deliveries.append((row["lot_id"], row["partner_id"]))
        lot = self.sudo()
        if lot.unit_state == "shipped" and lot.customer_id:
            deliveries.append((self.id, lot.customer_id.id))
        statuses = self._picture_statuses(
            {self.id} | {link.component for link in links} | {link.produced for link in links})
        products = dict(self.env["product.product"].sudo().browse(
            list({product_id for _n, product_id, _s in statuses.values()})).name_get())
        units = {lot_id: genealogy_dot.Unit(lot_id, name, product_id, products[product_id],
                                            status)
                 for lot_id, (name, product_id, status) in statuses.items()}
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

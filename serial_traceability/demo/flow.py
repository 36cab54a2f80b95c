# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Drive the host's own stock and manufacturing flows from code.

The demo scenario, the tests and the benchmarks' sample data all need receipts,
produce-wizard runs, deliveries and returns made exactly as a user makes them, so
the rows they leave have the host's shape. One place does it, outside the addon's
models: nothing in production calls it.
"""
from odoo import _
from odoo.exceptions import UserError


class HostFlow(object):
    """The host's flows as ``env.user`` runs them; ``sudo(user)`` gives the same
    flows as another user."""

    def __init__(self, env):
        self.env = env

    def sudo(self, user):
        return HostFlow(self.env(user=user.id))

    def _warehouse(self):
        return self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.user.company_id.id)], limit=1)

    def _lot(self, product, name):
        """The lot named ``name`` of ``product``, created when new."""
        lot = self.env["stock.production.lot"].search(
            [("product_id", "=", product.id), ("name", "=", name)], limit=1)
        return lot or self.env["stock.production.lot"].create(
            {"product_id": product.id, "name": name})

    def _transfer(self, picking_type, partner, lines, location=None, location_dest=None,
                  origin=None):
        """Create, confirm and validate a picking.

        ``lines``: list of ``(product, qty, lot_name_or_lot_or_None)``; one move per
        product, one move line per lot.
        """
        location = location or picking_type.default_location_src_id
        location_dest = location_dest or picking_type.default_location_dest_id
        if not location:
            location = partner.property_stock_supplier
        if not location_dest:
            location_dest = partner.property_stock_customer
        picking = self.env["stock.picking"].create({
            "picking_type_id": picking_type.id,
            "partner_id": partner.id if partner else False,
            "location_id": location.id,
            "location_dest_id": location_dest.id,
            "origin": origin,
        })
        by_product = {}
        for product, qty, lot in lines:
            by_product.setdefault(product, []).append((qty, lot))
        for product, product_lines in by_product.items():
            self.env["stock.move"].create({
                "name": product.display_name,
                "picking_id": picking.id,
                "product_id": product.id,
                "product_uom": product.uom_id.id,
                "product_uom_qty": sum(q for q, _lot in product_lines),
                "location_id": location.id,
                "location_dest_id": location_dest.id,
            })
        picking.action_confirm()
        self._set_done_lines(picking, by_product)
        picking.button_validate()
        if picking.state != "done":
            raise UserError(_("Transfer %s could not be validated.") % picking.name)
        return picking

    def _set_done_lines(self, picking, by_product):
        """Replace any reservation by the exact lots/quantities of ``by_product``."""
        picking.move_line_ids.unlink()
        for move in picking.move_lines:
            for qty, lot in by_product[move.product_id]:
                vals = {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": move.product_id.id,
                    "product_uom_id": move.product_uom.id,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                    "qty_done": qty,
                }
                if isinstance(lot, str):
                    vals["lot_id"] = self._lot(move.product_id, lot).id
                elif lot:
                    vals["lot_id"] = lot.id
                self.env["stock.move.line"].create(vals)

    def _receive(self, partner, lines):
        return self._transfer(self._warehouse().in_type_id, partner, lines)

    def _deliver(self, partner, lines, origin=None):
        return self._transfer(self._warehouse().out_type_id, partner, lines, origin=origin)

    def _return(self, picking, lines):
        """Return ``lines`` [(product, qty, lot)] of a done ``picking`` through the
        host's return wizard."""
        wizard = self.env["stock.return.picking"].with_context(
            active_id=picking.id, active_ids=picking.ids).create({})
        for ret_line in wizard.product_return_moves:
            ret_line.quantity = sum(
                q for p, q, _lot in lines if p == ret_line.product_id)
        new_picking_id, _type = wizard._create_returns()
        new_picking = self.env["stock.picking"].browse(new_picking_id)
        by_product = {}
        for product, qty, lot in lines:
            by_product.setdefault(product, []).append((qty, lot))
        self._set_done_lines(new_picking, by_product)
        new_picking.button_validate()
        return new_picking

    def _start_production(self, product, qty, bom=None):
        bom = bom or self.env["mrp.bom"]._bom_find(product=product)
        production = self.env["mrp.production"].create({
            "product_id": product.id,
            "product_qty": qty,
            "product_uom_id": product.uom_id.id,
            "bom_id": bom.id,
        })
        production.action_assign()
        return production

    def _produce(self, production, qty, finished_lot, components):
        """Record one produce-wizard run: ``qty`` of the finished product under
        ``finished_lot`` (lot record, name or None) consuming ``components``
        [(product, qty, lot)] for the tracked components."""
        if isinstance(finished_lot, str):
            finished_lot = self._lot(production.product_id, finished_lot)
        lines = []
        for product, comp_qty, lot in components:
            if isinstance(lot, str):
                lot = self._lot(product, lot)
            move = production.move_raw_ids.filtered(
                lambda m, p=product: m.product_id == p and m.state not in ("done", "cancel"))
            lines.append((0, 0, {
                "move_id": move[:1].id,
                "product_id": product.id,
                "product_uom_id": product.uom_id.id,
                "lot_id": lot.id,
                "qty_to_consume": comp_qty,
                "qty_done": comp_qty,
            }))
        wizard = self.env["mrp.product.produce"].with_context(
            active_id=production.id, active_ids=production.ids).create({
                "product_qty": qty,
                "lot_id": finished_lot.id if finished_lot else False,
                "produce_line_ids": lines,
            })
        wizard.do_produce()
        return finished_lot

    def _finish(self, production):
        production.button_mark_done()
        return production

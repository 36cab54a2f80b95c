# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Part of a lot back from a customer (issue 18): *Record returns* of a lot-tracked
product takes the quantity each customer sends back (30 of the 100 kg shipped), in
the lot's unit, and brings it through the host's returns of the deliveries to that
customer into quarantine. The mass balance then reads the return as the host
recorded it; the lot's recall line is recovered once nothing is left at customers."""
from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero


class SerialRecall(models.Model):
    _inherit = "serial.recall"

    @api.model
    def _lot_at_customers(self, lot):
        """{commercial partner id: quantity of ``lot`` still at that customer}, in
        the product's unit: shipped to them minus returned by them, as the lot's
        mass balance counts them (partners with nothing left are left out)."""
        balance = lot.sudo()._mass_balance(outputs=False)
        rounding = lot.product_id.uom_id.rounding
        left = {}
        for row in balance["shipped_by_customer"]:
            left[row["partner_id"]] = left.get(row["partner_id"], 0.0) + row["qty"]
        for row in balance["returned_by_customer"]:
            left[row["partner_id"]] = left.get(row["partner_id"], 0.0) - row["qty"]
        return {pid: qty for pid, qty in left.items()
                if pid and float_compare(qty, 0.0, precision_rounding=rounding) > 0}

    @api.model
    def _check_lot_returns(self, returns):
        """``returns``: [(lot, partner, qty)], qty in the lot's unit. Refuses, before
        anything is written, a quantity that is not positive or more than is left
        at that customer (several rows of one lot and customer are added up)."""
        wanted = {}
        for lot, partner, qty in returns:
            uom = lot.product_id.uom_id
            if float_compare(qty, 0.0, precision_rounding=uom.rounding) <= 0:
                raise UserError(_(
                    "The quantity of %(lot)s returned by %(partner)s must be more than "
                    "zero (%(qty)s %(uom)s given).") % {
                        "lot": lot.name, "partner": partner.display_name,
                        "qty": "%g" % qty, "uom": uom.name})
            key = (lot, partner.commercial_partner_id)
            wanted[key] = wanted.get(key, 0.0) + qty
        for (lot, partner), qty in wanted.items():
            uom = lot.product_id.uom_id
            left = self._lot_at_customers(lot).get(partner.id, 0.0)
            if float_compare(qty, left, precision_rounding=uom.rounding) > 0:
                raise UserError(_(
                    "%(partner)s cannot return %(qty)s %(uom)s of %(lot)s: only %(left)s "
                    "%(uom)s of it are at that customer (shipped to them and not yet "
                    "returned).") % {
                        "partner": partner.display_name, "qty": "%g" % qty,
                        "uom": uom.name, "lot": lot.name, "left": "%g" % left})

    @api.model
    def _returnable_by_move(self, lot, partner):
        """[(delivery move, quantity of ``lot`` it sent that has not come back)],
        newest delivery first, in the lot's unit: the host moves a return of part of
        the lot can point to (``origin_returned_move_id``)."""
        uom = lot.product_id.uom_id
        sent = self.env["stock.move.line"].search([
            ("lot_id", "=", lot.id), ("state", "=", "done"), ("picking_id", "!=", False),
            ("location_dest_id.usage", "=", "customer"),
            ("location_id.usage", "!=", "customer")], order="date desc, id desc")
        back = self.env["stock.move.line"].search([
            ("lot_id", "=", lot.id), ("state", "=", "done"),
            ("location_id.usage", "=", "customer"),
            ("move_id.origin_returned_move_id", "in", sent.mapped("move_id").ids)])
        moves, qty = [], {}
        for line in sent:
            if line.picking_id.partner_id.commercial_partner_id != partner:
                continue
            if line.move_id not in moves:
                moves.append(line.move_id)
            qty[line.move_id] = qty.get(line.move_id, 0.0) + \
                line.product_uom_id._compute_quantity(line.qty_done, uom, round=False)
        for line in back:
            origin = line.move_id.origin_returned_move_id
            if origin in qty:
                qty[origin] -= line.product_uom_id._compute_quantity(
                    line.qty_done, uom, round=False)
        return [(move, qty[move]) for move in moves
                if not float_is_zero(qty[move], precision_rounding=uom.rounding)
                and qty[move] > 0]

    @api.multi
    def _return_lot_quantity(self, lot, partner, qty):
        """Bring ``qty`` (the lot's unit) of the lot-tracked ``lot`` back from
        ``partner`` through the host's return (``stock.return.picking``) of its
        deliveries to them, newest first, into the delivering warehouse's
        quarantine, validated. Returns the return pickings."""
        self.ensure_one()
        uom = lot.product_id.uom_id
        partner = partner.commercial_partner_id
        take, remaining = [], qty
        for move, available in self._returnable_by_move(lot, partner):
            if float_is_zero(remaining, precision_rounding=uom.rounding):
                break
            part = min(available, remaining)
            take.append((move, part))
            remaining -= part
        if float_compare(remaining, 0.0, precision_rounding=uom.rounding) > 0:
            raise UserError(_("The deliveries of %(lot)s to %(partner)s do not hold "
                              "%(qty)s %(uom)s to return.") % {
                                  "lot": lot.name, "partner": partner.display_name,
                                  "qty": "%g" % qty, "uom": uom.name})
        pickings = self.env["stock.picking"]
        for delivery in self.env["stock.picking"].browse(
                list(dict.fromkeys(m.picking_id.id for m, _q in take))):
            parts = dict((m, q) for m, q in take if m.picking_id == delivery)
            pickings |= self._return_delivery_quantities(delivery, lot, parts)
        return pickings

    @api.multi
    def _return_delivery_quantities(self, delivery, lot, parts):
        """One host return of ``delivery``: ``parts`` {delivery move: quantity of
        ``lot`` in the lot's unit}, into quarantine, validated."""
        uom = lot.product_id.uom_id
        warehouse = delivery.picking_type_id.warehouse_id or \
            delivery.location_id.get_warehouse()
        wizard = self.env["stock.return.picking"].with_context(
            active_id=delivery.id, active_ids=delivery.ids, active_model="stock.picking"
        ).create({"location_id": self._quarantine_location(warehouse).id})
        for ret_line in wizard.product_return_moves:
            # the host's return line is in the product's unit, as ``parts``
            ret_line.quantity = parts.get(ret_line.move_id, 0.0)
        picking = self.env["stock.picking"].browse(wizard._create_returns()[0])
        picking.write({"origin": "%s (%s)" % (picking.origin or "", self.name)})
        picking.move_line_ids.unlink()
        for move in picking.move_lines:
            self.env["stock.move.line"].create({
                "move_id": move.id, "picking_id": picking.id,
                "product_id": lot.product_id.id, "product_uom_id": uom.id,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
                "lot_id": lot.id, "qty_done": parts[move.origin_returned_move_id]})
        picking.button_validate()
        if picking.state != "done":
            raise UserError(_("The return %s could not be validated.") % picking.name)
        return picking

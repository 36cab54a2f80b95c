# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Serials at receipt: fill a transfer's operations with new numbers in one go.

A confirmed receipt of N serial-tracked units already has N operation lines (the host
makes one per unit when the picking type creates lots); they get their lots with one
UPDATE, and any units without a line get new lines with one INSERT per 1,000, so a
10,000-unit receipt takes seconds rather than an ORM write per line.
"""
from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

from .serial_bulk_insert import bulk_insert, finish_bulk_insert

# stock_move_line_entry.HOST_PATH_KEY (not imported: the import order of models
# is their order of inheritance)
HOST_PATH_KEY = "serial_traceability_host_path"

FILLED_FIELDS = ["lot_id", "lot_name", "qty_done"]


class StockPicking(models.Model):
    _inherit = "stock.picking"

    @api.multi
    def _serial_check_can_generate(self):
        self.ensure_one()
        if self.picking_type_id.code != "incoming":
            raise UserError(_("Serials are generated on receipts; %s is not one.") % self.name)
        if self.state in ("done", "cancel"):
            raise UserError(_("%(name)s is already %(state)s.")
                            % {"name": self.name, "state": self.state})
        if not self.picking_type_id.use_create_lots:
            raise UserError(_("The operation type %s does not allow creating lots/serial "
                              "numbers.") % self.picking_type_id.display_name)
        self.check_access_rights("write")
        self.check_access_rule("write")

    @api.multi
    def _serial_line_qty(self, moves):
        """{move id: (quantity done on its operation lines, the part of it carrying a
        lot/serial, whether any line carries one)}, quantities in the move's unit;
        read in SQL, since a 10,000-unit receipt has 10,000 lines."""
        if not moves:
            return {}
        self.env.cr.execute("""
            SELECT move_id, product_uom_id, SUM(qty_done),
                   SUM(qty_done) FILTER (WHERE lot_id IS NOT NULL
                                            OR COALESCE(lot_name, '') <> ''),
                   bool_or(lot_id IS NOT NULL OR COALESCE(lot_name, '') <> '')
              FROM stock_move_line WHERE move_id = ANY(%s)
             GROUP BY move_id, product_uom_id""", (moves.ids,))
        Uom, result = self.env["product.uom"], {}
        for move_id, uom_id, done, numbered, has_lot in self.env.cr.fetchall():
            move, uom = moves.browse(move_id), Uom.browse(uom_id)
            before = result.get(move_id, (0.0, 0.0, False))
            result[move_id] = tuple(
                total + uom._compute_quantity(qty or 0.0, move.product_uom, round=False)
                for total, qty in zip(before[:2], (done, numbered))) + (before[2] or has_lot,)
        return result

    @api.multi
    def _serial_numbered_qty(self, moves):
        """{move id: quantity already carrying a lot/serial, in the move's unit}, for
        the moves with a numbered line."""
        return {move_id: numbered for move_id, (_done, numbered, has_lot)
                in self._serial_line_qty(moves).items() if has_lot}

    @api.multi
    def _serial_moves_to_number(self):
        """[(move, count)]: per tracked move, how many serials (units) or lots (0 or 1)
        it still needs. A planned receipt says how many units arrive in its moves'
        demand; an immediate one (made with Create, no demand) in the quantities done
        on its operation lines: the larger of the two is numbered."""
        self.ensure_one()
        moves = self.move_lines.filtered(
            lambda m: m.product_id.tracking != "none" and m.state not in ("done", "cancel"))
        lines = self._serial_line_qty(moves)
        todo = []
        for move in moves:
            product = move.product_id
            done, numbered, has_lot = lines.get(move.id, (0.0, 0.0, False))
            done, numbered = (move.product_uom._compute_quantity(qty, product.uom_id,
                                                                 round=False)
                              for qty in (done, numbered))
            expected = max(move.product_qty, done)
            if product.tracking == "serial":
                missing = float_round(expected - numbered, precision_digits=6)
                if float_compare(missing, round(missing), precision_digits=6):
                    raise UserError(_("%(product)s: %(qty)s %(uom)s cannot be split into "
                                      "whole serial-numbered units.") % {
                        "product": product.display_name, "qty": missing,
                        "uom": product.uom_id.name})
                count = max(int(round(missing)), 0)
            else:
                arrives = float_compare(expected, 0, precision_rounding=product.uom_id.rounding)
                count = 1 if arrives > 0 and not has_lot else 0
            todo.append((move, count))
        return todo

    @api.multi
    def _serial_check_quantities_known(self):
        """An immediate receipt whose tracked lines say nothing of how many units
        arrived gives nothing to number: say where the quantity goes."""
        self.ensure_one()
        lines = self._serial_line_qty(self.move_lines)
        unknown = self.move_lines.filtered(
            lambda m: m.product_id.tracking != "none" and m.state not in ("done", "cancel")
            and not m.product_qty and not lines.get(m.id, (0.0,))[0])
        if unknown:
            raise UserError(_("%(name)s does not say how many units of %(products)s arrived. "
                              "Enter the quantity on the line first (its Initial Demand, or "
                              "the Done quantity in its detailed operations), then generate "
                              "the serials.") % {
                "name": self.name,
                "products": ", ".join(unknown.mapped("product_id.display_name"))})

    @api.multi
    def _serial_fill_move(self, move, lots):
        """Put new ``lots`` on the operations of ``move``: one serial per unit line, or
        the one lot on every line without a number. Stored computed fields depending on
        the lines are marked, not recomputed: the caller runs ``recompute()`` once."""
        self.ensure_one()
        MoveLine = self.env["stock.move.line"]
        MoveLine.check_access_rights("write")
        product = move.product_id
        self.env.cr.execute("""
            SELECT id, product_uom_id, product_uom_qty, qty_done FROM stock_move_line
             WHERE move_id = %s AND lot_id IS NULL AND COALESCE(lot_name, '') = ''
             ORDER BY id""", (move.id,))
        free = self.env.cr.fetchall()
        updates, rows = [], []
        if product.tracking == "serial":
            free = [line for line in free if line[1] == product.uom_id.id]
            for line, lot in zip(free, lots):
                updates.append((line[0], lot.id, lot.name, 1.0))
            extra = [(lot, 1.0, product.uom_id) for lot in lots[len(updates):]]
        else:
            lot = lots.ensure_one()
            numbered = self._serial_numbered_qty(move).get(move.id, 0.0)
            for line_id, uom_id, reserved, done in free:
                qty = reserved or done
                updates.append((line_id, lot.id, lot.name, qty))
                numbered += self.env["product.uom"].browse(uom_id)._compute_quantity(
                    qty, move.product_uom, round=False)
            left = move.product_uom_qty - numbered
            extra = [] if float_compare(left, 0, precision_rounding=move.product_uom.rounding) \
                <= 0 else [(lot, left, move.product_uom)]
        warranty = self.env["stock.production.lot"]._fields.get("warranty_start")
        pending = self._serial_todo_ids(warranty)
        if updates:
            self.env.cr.execute("""
                UPDATE stock_move_line ml
                   SET lot_id = v.lot_id, lot_name = v.lot_name, qty_done = v.qty,
                       write_uid = %s, write_date = now() at time zone 'UTC'
                  FROM unnest(%s::int[], %s::int[], %s::varchar[], %s::numeric[])
                       AS v(id, lot_id, lot_name, qty)
                 WHERE ml.id = v.id""", (self.env.uid, *[list(c) for c in zip(*updates)]))
            filled = MoveLine.browse([u[0] for u in updates])
            filled.invalidate_cache(FILLED_FIELDS)
            filled.modified(FILLED_FIELDS)
        if extra:
            MoveLine.check_access_rights("create")
            dest = move.location_dest_id.get_putaway_strategy(product) or move.location_dest_id
            for lot, qty, uom in extra:
                rows.append({
                    "move_id": move.id, "picking_id": self.id, "product_id": product.id,
                    "product_uom_id": uom.id, "location_id": move.location_id.id,
                    "location_dest_id": dest.id, "lot_id": lot.id, "lot_name": lot.name,
                    "qty_done": qty, "product_uom_qty": 0.0, "ordered_qty": 0.0,
                })
            finish_bulk_insert(bulk_insert(MoveLine, rows), set().union(*rows),
                               recompute=False)
        # a warranty starts with a done delivery: lines of a receipt not done leave
        # the lots' as it is (the ORM marks them all the same)
        if warranty and move.state != "done" and not self._context.get(HOST_PATH_KEY):
            self.env.remove_todo(warranty, self.env["stock.production.lot"].browse(
                self._serial_todo_ids(warranty) - pending))
        move.invalidate_cache()
        return len(updates) + len(rows)

    def _serial_todo_ids(self, field):
        """Ids of the records whose ``field`` the ORM is to recompute."""
        if not field:
            return set()
        return set().union(*[recs.ids for recs in self.env.all.todo.get(field, [])])

    @api.multi
    def action_open_serial_generate(self):
        self.ensure_one()
        self._serial_check_can_generate()
        if not any(count for _move, count in self._serial_moves_to_number()):
            self._serial_check_quantities_known()
            raise UserError(_("Every tracked line of %s already has its numbers.") % self.name)
        action = self.env.ref("serial_traceability.serial_generate_wizard_action").read()[0]
        action["context"] = {"default_picking_id": self.id}
        return action

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The scan screen of a transfer (receipt, internal transfer, delivery).

A product barcode (or a GS1 code with only a GTIN) selects the product; a serial, a
lot or a GS1 code naming one fills the next open operation of that product's move:
the line already reserved for that lot, else an empty line, else a new one. On a
receipt a new lot is created with what its GS1 label says (vendor lot, production
and expiry dates).

Every scan costs the same number of queries however many lines the transfer holds:
lines are found with indexed single-row queries and counted with one aggregate, and
no one2many of the picking is ever read (that would load every line).
"""
from odoo import _, api, fields, models
from odoo.tools import float_compare, html_escape

from ..lib import gs1
from ..models.serial_scan_mixin import ScanRefused

OPEN_PICKING_STATES = ("waiting", "confirmed", "assigned")
# A lot made by a scan gets no "created" chatter note and no follower: the audit trail
# and the unit history already say who received it when, and the note and the
# subscription were two thirds of a scan's time (a receipt of 500 scans made 500 notes).
NEW_LOT_CONTEXT = {"mail_create_nolog": True, "mail_create_nosubscribe": True}
COUNT_AIS = ("30", "37")


class SerialPickingScan(models.TransientModel):
    _name = "serial.picking.scan"
    _inherit = ["serial.scan.mixin"]
    _description = "Scan serials and lots into a transfer"

    picking_id = fields.Many2one("stock.picking", "Transfer", required=True, readonly=True,
                                 ondelete="cascade")
    picking_type_code = fields.Selection(related="picking_id.picking_type_id.code",
                                         readonly=True)
    product_id = fields.Many2one(
        "product.product", "Product", readonly=True,
        help="The product scanned last: serials without a GS1 product code are "
             "taken as units of this product.")
    last_lot_id = fields.Many2one("stock.production.lot", "Last unit", readonly=True)
    scan_count = fields.Integer("Accepted scans", readonly=True)
    done_qty = fields.Float("Done", readonly=True)
    demand_qty = fields.Float("Asked", readonly=True)
    counter = fields.Char("Done / asked", readonly=True)
    progress = fields.Html("Operations", readonly=True, sanitize=False)

    # -- opening and closing --------------------------------------------------------
    @api.model
    def _open_for(self, picking):
        if picking.state not in OPEN_PICKING_STATES:
            raise ScanRefused(_("%(picking)s is %(state)s: only transfers waiting to be "
                                "done can be scanned.") % {
                "picking": picking.name,
                "state": dict(picking._fields["state"].selection)[picking.state]})
        picking.check_access_rights("write")
        picking.check_access_rule("write")
        wizard = self.create({"picking_id": picking.id})
        wizard._scan_refresh_progress()
        return {
            "type": "ir.actions.act_window",
            "name": _("Scan %s") % picking.name,
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(self.env.ref(
                "serial_traceability.serial_picking_scan_view_form").id, "form")],
            "target": "new",
        }

    @api.multi
    def action_validate(self):
        """Validate the transfer through the host's button (backorder questions
        included); the scan screen closes when nothing more is asked."""
        self.ensure_one()
        result = self.picking_id.button_validate()
        if isinstance(result, dict):
            return result
        return {"type": "ir.actions.act_window_close"}

    # -- one scan -----------------------------------------------------------------
    def _scan(self, code):
        picking = self.picking_id
        if picking.state not in OPEN_PICKING_STATES:
            raise ScanRefused(_("%s is no longer waiting to be done.") % picking.name)
        lots, products, elements = self._scan_lookup(code)
        name = elements.get("21") or elements.get("10") if elements else code
        if elements and elements.get("01") and not products:
            raise ScanRefused(_("Unknown product: no product has the GTIN %s.")
                              % elements["01"])
        if not lots and products and (not elements or not name):
            return self._scan_product(products)
        if not elements and not lots and not products and not self.product_id \
                and not self._scan_single_tracked_move():
            raise self._scan_unknown(_("Unknown code %s: scan the product's barcode first, "
                                       "then its serial or lot numbers.") % code, code)
        product, lot = self._scan_unit(name, lots, products, elements)
        if product.tracking == "none":
            return self._scan_product(product)
        return self._scan_add(product, lot, name, elements)

    def _scan_product(self, products):
        if len(products) > 1:
            raise ScanRefused(_("Several products have this barcode: %s.")
                              % ", ".join(products.mapped("display_name")))
        self._scan_moves(products)  # refuses a product this transfer does not move
        self.product_id = products
        if products.tracking != "none":
            if products.tracking == "serial":
                return "ok", _("%s: now scan its serial numbers.") % products.display_name
            return "ok", _("%s: now scan its lots.") % products.display_name
        return self._scan_add(products, None, None, {})

    def _scan_single_tracked_move(self):
        moves = self.picking_id.move_lines.filtered(
            lambda m: m.state not in ("done", "cancel") and m.product_id.tracking != "none")
        products = moves.mapped("product_id")
        return products if len(products) == 1 else None

    def _scan_unit(self, name, lots, products, elements):
        """``(product, lot)`` of a scanned unit; ``lot`` is empty for a new one."""
        product, by_gtin = self._scan_named_product(products, elements, self.product_id)
        if product:
            return product, self._scan_lot_of(name, lots, product, by_gtin)
        moved = self.picking_id.move_lines.filtered(
            lambda m: m.state not in ("done", "cancel")).mapped("product_id")
        here = self._scan_lot_among(name, lots, moved)
        if here:
            return here.product_id, here
        if lots:
            raise ScanRefused(_("%(name)s is a serial/lot of %(product)s, which this "
                                "transfer does not move.") % {
                "name": name, "product": lots[0].product_id.display_name})
        single = self._scan_single_tracked_move()
        if single and self.picking_type_code == "incoming":
            return single, lots
        raise self._scan_unknown(
            _("Unknown serial or lot %s: scan the product's barcode first.") % name, name)

    def _scan_moves(self, product):
        moves = self.picking_id.move_lines.filtered(
            lambda m: m.product_id == product and m.state not in ("done", "cancel"))
        if not moves:
            raise ScanRefused(_("%(product)s is not to be moved in %(picking)s.") % {
                "product": product.display_name, "picking": self.picking_id.name})
        return moves

    def _scan_add(self, product, lot, name, elements):
        moves = self._scan_moves(product)
        counts = self._scan_move_counts(moves)
        move = next((m for m in moves if float_compare(
            counts[m.id][1], counts[m.id][0],
            precision_rounding=m.product_uom.rounding) < 0), None)
        if move is None:
            raise ScanRefused(_("All %(qty)s of %(product)s asked for are already "
                                "scanned.") % {
                "qty": self._qty(sum(c[0] for c in counts.values())),
                "product": product.display_name})
        warning = self._scan_check_unit(product, lot, name, moves)
        asked, done = counts[move.id]
        qty = self._scan_quantity(product, lot, move, asked - done, elements)
        if float_compare(done + qty, asked, precision_rounding=move.product_uom.rounding) > 0:
            raise ScanRefused(_("%(qty)s more of %(product)s would make %(total)s, but the "
                                "transfer asks for %(asked)s.") % {
                "qty": self._qty(qty), "product": product.display_name,
                "total": self._qty(done + qty), "asked": self._qty(asked)})
        created = product.tracking != "none" and not lot
        if created:
            self._scan_check_new_name(name, elements)
        with self._scan_write_mode():
            if created:
                lot = self.env["stock.production.lot"].with_context(
                    **NEW_LOT_CONTEXT).create(self._scan_new_lot_vals(product, name, elements))
            self._scan_fill(move, lot, qty)
        self.product_id = product
        self.last_lot_id = lot or False
        self.scan_count += 1
        self._scan_refresh_progress()
        values = {"unit": lot.name if lot else product.display_name, "qty": self._qty(qty),
                  "done": self._qty(done + qty), "asked": self._qty(asked),
                  "product": product.display_name}
        if lot and product.tracking == "lot":
            message = _("%(unit)s (+%(qty)s): %(done)s of %(asked)s done · %(product)s")
        else:
            message = _("%(unit)s: %(done)s of %(asked)s done · %(product)s")
        message = message % values
        if created:
            message = (_("New serial %s") if product.tracking == "serial"
                       else _("New lot %s")) % message
        if warning:
            return "warning", "%s. %s" % (message, warning)
        return "ok", message

    # -- checks ---------------------------------------------------------------------
    def _scan_check_unit(self, product, lot, name, moves):
        """Refuse a unit that cannot be in this transfer; return a warning text for
        one that may be but needs attention."""
        code = self.picking_type_code
        if lot and product.tracking == "serial":
            self.env.cr.execute("""
                SELECT 1 FROM stock_move_line
                 WHERE move_id = ANY(%s) AND lot_id = %s AND qty_done > 0 LIMIT 1""",
                                (moves.ids, lot.id))
            if self.env.cr.fetchone():
                raise ScanRefused(_("%(unit)s is already scanned in %(picking)s.") % {
                    "unit": lot.name, "picking": self.picking_id.name})
        if code == "incoming":
            if lot and product.tracking == "serial" and self._scan_stock(lot, True) > 0:
                raise ScanRefused(_("%(unit)s of %(product)s is already in stock: a serial "
                                    "number is received once.") % {
                    "unit": lot.name, "product": product.display_name})
        elif not lot and product.tracking != "none":
            raise self._scan_unknown(_("Unknown serial or lot %(name)s of %(product)s.") % {
                "name": name, "product": product.display_name}, name)
        reason = self._scan_blocking_reason(lot) if lot else None
        # A hold or recall is the reason that matters, even for a unit moved to
        # quarantine: say it before where the unit is.
        if reason and self.picking_id.location_dest_id.usage in ("customer", "production"):
            raise ScanRefused(reason + ".")
        if code != "incoming" and lot and self._scan_stock(lot, False) <= 0:
            raise ScanRefused(_("%(unit)s is not in stock in %(location)s.") % {
                "unit": lot.name, "location": self.picking_id.location_id.display_name})
        return reason

    def _scan_stock(self, lot, anywhere):
        """Quantity of ``lot`` in our internal locations (``anywhere``) or in the
        transfer's source location and below."""
        domain = [("lot_id", "=", lot.id), ("quantity", ">", 0)]
        if anywhere:
            domain.append(("location_id.usage", "in", ("internal", "transit")))
        else:
            domain.append(("location_id", "child_of", self.picking_id.location_id.id))
        quants = self.env["stock.quant"].sudo().search(domain)
        return sum(quants.mapped("quantity"))

    def _scan_quantity(self, product, lot, move, open_qty, elements):
        if product.tracking != "lot":
            return 1.0
        for ai in COUNT_AIS:
            if elements.get(ai):
                return float(elements[ai])
        if lot and self.picking_type_code != "incoming":
            return min(open_qty, self._scan_stock(lot, False))
        return open_qty

    def _scan_move_counts(self, moves):
        """{move id: (asked, done)} in the move's unit, in one query."""
        self.env.cr.execute("""
            SELECT m.id, m.product_uom_qty, COALESCE(SUM(ml.qty_done), 0)
              FROM stock_move m LEFT JOIN stock_move_line ml ON ml.move_id = m.id
             WHERE m.id = ANY(%s) GROUP BY m.id""", (moves.ids,))
        return {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}

    # -- writing --------------------------------------------------------------------
    def _scan_new_lot_vals(self, product, name, elements):
        """A supplier's label with both a serial and a lot: the lot is the vendor's."""
        vals = super(SerialPickingScan, self)._scan_new_lot_vals(product, name, elements)
        result = gs1.GS1Result(elements or {})
        if result.lot and result.serial:
            vals["vendor_lot"] = result.lot
        return vals

    def _scan_fill(self, move, lot, qty):
        """Put ``qty`` of ``lot`` (or of the untracked product) on the next open
        operation of ``move``; each candidate is found by one indexed query that
        returns a single row."""
        MoveLine = self.env["stock.move.line"]
        if not lot:
            row = self._scan_line(
                "lot_id IS NULL ORDER BY qty_done >= product_uom_qty, id", move)
        else:
            # the line of this lot (reserved for it, or a lot scanned before) ...
            row = self._scan_line("lot_id = %s ORDER BY qty_done, id", move, lot.id)
        if row:
            line = MoveLine.browse(row)
            return line.write({"qty_done": line.qty_done + qty})
        vals = {"qty_done": qty}
        if lot:
            vals.update(lot_id=lot.id, lot_name=lot.name)
            # ... else the first empty line. "ORDER BY lot_id, id" is the index's
            # order, so PostgreSQL reads one entry (ORDER BY id alone sorts them all).
            row = self._scan_line("lot_id IS NULL AND qty_done = 0 ORDER BY lot_id, id", move)
            if not row and move.product_id.tracking == "serial":
                # ... else a line reserved for another serial of the product: the
                # host moves the reservation when its lot changes.
                row = self._scan_line("qty_done = 0 ORDER BY id", move)
            if row:
                return MoveLine.browse(row).write(vals)
        vals.update(move._prepare_move_line_vals())
        return MoveLine.create(vals)

    def _scan_line(self, condition, move, *params):
        # ``condition`` is one of the constant SQL fragments above, never user input.
        self.env.cr.execute("SELECT id FROM stock_move_line WHERE move_id = %s AND "
                            + condition + " LIMIT 1", (move.id,) + params)
        row = self.env.cr.fetchone()
        return row and row[0]

    # -- feedback -------------------------------------------------------------------
    def _scan_refresh_progress(self):
        self.env.cr.execute("""
            SELECT m.product_id, SUM(m.product_uom_qty), SUM(COALESCE(d.done, 0))
              FROM stock_move m
              LEFT JOIN LATERAL (SELECT SUM(ml.qty_done) AS done FROM stock_move_line ml
                                  WHERE ml.move_id = m.id) d ON TRUE
             WHERE m.picking_id = %s AND m.state != 'cancel'
             GROUP BY m.product_id ORDER BY MIN(m.id)""", (self.picking_id.id,))
        rows = self.env.cr.fetchall()
        products = self.env["product.product"].browse([row[0] for row in rows])
        names = dict(zip(products.ids, products.mapped("display_name")))
        cells = "".join(
            '<tr class="%s"><td>%s</td><td class="text-right">%s / %s</td></tr>' % (
                "success" if float_compare(done, asked, precision_digits=6) >= 0 else "",
                html_escape(names[product_id]), self._qty(done), self._qty(asked))
            for product_id, asked, done in rows)
        self.demand_qty = sum(row[1] for row in rows)
        self.done_qty = sum(row[2] for row in rows)
        self.counter = "%s / %s" % (self._qty(self.done_qty), self._qty(self.demand_qty))
        self.progress = '<table class="table table-condensed">%s</table>' % cells

    @staticmethod
    def _qty(value):
        return ("%.3f" % value).rstrip("0").rstrip(".")

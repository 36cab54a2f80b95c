# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Scanning in the host's produce wizard.

A component's serial or lot fills that component's next open line (the one reserved
for it, else an empty one); the finished product's serial, new or pre-assigned, sets
the wizard's lot. The host's ``do_produce`` then records the production unchanged.
Kept apart from ``mrp_product_produce.py`` (pre-assigned serials in ``default_get``):
both extend the same transient model.
"""
from odoo import _, api, fields, models
from odoo.tools import float_compare, float_is_zero

from ..lib import serial_pattern
from ..models.serial_scan_mixin import ScanRefused
from .serial_picking_scan import NEW_LOT_CONTEXT


class MrpProductProduce(models.TransientModel):
    _name = "mrp.product.produce"
    _inherit = ["mrp.product.produce", "serial.scan.mixin"]

    scan_product_id = fields.Many2one(
        "product.product", "Scanned product", readonly=True,
        help="The product scanned last: a serial scanned next without a GS1 product "
             "code is taken as one of its units.")

    def _scan(self, code):
        production = self.production_id
        if not production or production.state in ("done", "cancel"):
            raise ScanRefused(_("This manufacturing order is no longer in progress."))
        lots, products, elements = self._scan_lookup(code)
        name = (elements.get("21") or elements.get("10")) if elements else code
        if elements and elements.get("01") and not products:
            raise ScanRefused(_("Unknown product: no product has the GTIN %s.")
                              % elements["01"])
        used = self._scan_used_products()
        if not lots and products and (not elements or not name):
            product = products.filtered(lambda p: p in used)[:1]
            if not product:
                raise ScanRefused(self._scan_unused_message(products))
            self.scan_product_id = product
            return "ok", _("%s: now scan its serial or lot number.") % product.display_name
        product, lot = self._scan_unit(name, lots, products, elements, used)
        if product == self.product_id:
            return self._scan_finished(product, lot, name, elements)
        return self._scan_component(product, lot, name)

    def _scan_used_products(self):
        """The finished product and the tracked components still to consume."""
        moves = self.production_id.move_raw_ids.filtered(
            lambda m: m.state not in ("done", "cancel") and m.product_id.tracking != "none")
        return self.product_id | moves.mapped("product_id") | self.produce_line_ids.mapped(
            "product_id")

    def _scan_unit(self, name, lots, products, elements, used):
        product, by_gtin = self._scan_named_product(products, elements, self.scan_product_id)
        if product:
            if product not in used:
                raise ScanRefused(self._scan_unused_message(product))
            return product, self._scan_lot_of(name, lots, product, by_gtin)
        here = self._scan_lot_among(name, lots, used)
        if here:
            return here.product_id, here
        if lots:
            raise ScanRefused(_("%(name)s is a serial/lot of %(product)s, which "
                                "%(production)s does not use.") % {
                "name": name, "product": lots[0].product_id.display_name,
                "production": self.production_id.name})
        raise self._scan_unknown(_("Unknown serial or lot %s: scan the product's barcode "
                                   "first to give a new number.") % name, name)

    def _scan_unused_message(self, products):
        return _("%(products)s is neither made nor consumed by %(production)s.") % {
            "products": ", ".join(products.mapped("display_name")),
            "production": self.production_id.name}

    # -- the finished unit ------------------------------------------------------------
    def _scan_finished(self, product, lot, name, elements):
        production = self.production_id
        if product.tracking == "none":
            raise ScanRefused(_("%s has no serial or lot numbers.") % product.display_name)
        if lot:
            self._scan_check_finished(product, lot)
        else:
            self._scan_check_new_name(name, elements)
            self._scan_check_pattern(product, name)
            vals = self._scan_new_lot_vals(product, name, elements)
            with self._scan_write_mode():
                lot = self.env["stock.production.lot"].with_context(
                    **NEW_LOT_CONTEXT).create(vals)
        self.lot_id = lot
        self.scan_product_id = False
        return "ok", _("%(product)s %(unit)s will be produced by %(production)s.") % {
            "product": product.display_name, "unit": lot.name,
            "production": production.name}

    def _scan_check_pattern(self, product, name):
        """Our own serials carry a check character when their numbering pattern
        ends with {check}: a new number that fails it was misread or mistyped, not a
        unit to create."""
        owner = product.product_tmpl_id._serial_pattern_owner()
        pattern = owner and owner.serial_pattern
        if pattern and pattern.strip().endswith("{check}") \
                and not serial_pattern.verify_check(name):
            raise ScanRefused(_("%(unit)s fails the check character of the numbering "
                                "pattern %(pattern)s of %(product)s: it was misread or "
                                "mistyped.") % {
                "unit": name, "pattern": pattern, "product": product.display_name})

    def _scan_check_finished(self, product, lot):
        production = self.production_id
        finished_moves = production.move_finished_ids.filtered(
            lambda m: m.product_id == product)
        self.env.cr.execute("""
            SELECT 1 FROM stock_move_line
             WHERE lot_id = %s AND qty_done > 0 AND (move_id IS NULL OR move_id != ALL(%s))
             LIMIT 1""", (lot.id, finished_moves.ids if product.tracking == "lot" else [0]))
        if self.env.cr.fetchone():
            raise ScanRefused(_("%(unit)s of %(product)s is already used (produced, "
                                "received or moved before): a serial number is produced "
                                "once.") % {"unit": lot.name, "product": product.display_name})
        if product.tracking == "serial" and finished_moves:
            self.env.cr.execute("""SELECT 1 FROM stock_move_line
                                    WHERE lot_id = %s AND move_id = ANY(%s) LIMIT 1""",
                                (lot.id, finished_moves.ids))
            if self.env.cr.fetchone():
                raise ScanRefused(_("%(unit)s was already produced in %(production)s.") % {
                    "unit": lot.name, "production": production.name})
        owner = lot._fields.get("preassigned_production_id") and lot.preassigned_production_id
        if owner and owner != production:
            raise ScanRefused(_("%(unit)s is pre-assigned to %(owner)s, not to "
                                "%(production)s.") % {
                "unit": lot.name, "owner": owner.name, "production": production.name})

    # -- components -----------------------------------------------------------------
    def _scan_component(self, product, lot, name):
        production = self.production_id
        if not lot:
            raise self._scan_unknown(_("Unknown serial or lot %(name)s of %(product)s.") % {
                "name": name, "product": product.display_name}, name)
        reason = self._scan_blocking_reason(lot)
        if reason:
            raise ScanRefused(reason + ".")
        lines = self.produce_line_ids.filtered(lambda l: l.product_id == product)
        if product.tracking == "serial" and lines.filtered(
                lambda l: l.lot_id == lot and l.qty_done > 0):
            raise ScanRefused(_("%s is already scanned for this production.") % lot.name)
        quants = self.env["stock.quant"].sudo().search([
            ("lot_id", "=", lot.id), ("quantity", ">", 0),
            ("location_id", "child_of", production.location_src_id.id)])
        if not quants:
            raise ScanRefused(_("%(unit)s is not in stock in %(location)s: it was consumed, "
                                "shipped or never received.") % {
                "unit": lot.name, "location": production.location_src_id.display_name})
        line = self._scan_component_line(lines, lot)
        if not line:
            asked = sum(lines.mapped("qty_to_consume"))
            raise ScanRefused(_("All %(qty)s of %(product)s needed are already scanned.") % {
                "qty": ("%.3f" % asked).rstrip("0").rstrip("."),
                "product": product.display_name})
        qty = 1.0 if product.tracking == "serial" else (
            line.qty_to_consume or sum(quants.mapped("quantity")))
        line.update({"lot_id": lot.id, "qty_done": qty})
        done = len(lines.filtered(lambda l: l.qty_done > 0))
        return "ok", _("%(product)s %(unit)s: %(done)d of %(lines)d lines of %(production)s "
                       "filled.") % {
            "product": product.display_name, "unit": lot.name, "done": done,
            "lines": len(lines), "production": production.name}

    @api.model
    def _scan_component_line(self, lines, lot):
        """The line reserved for ``lot`` if still open, else an empty one, else one
        still waiting with another lot."""
        def is_open(line):
            rounding = line.product_uom_id.rounding or 0.001
            return float_compare(line.qty_done, line.qty_to_consume or 1.0,
                                 precision_rounding=rounding) < 0

        for candidates in (lines.filtered(lambda l: l.lot_id == lot),
                           lines.filtered(lambda l: not l.lot_id),
                           lines.filtered(lambda l: float_is_zero(
                               l.qty_done, precision_rounding=0.001))):
            for line in candidates:
                if is_open(line):
                    return line
        return None

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What every scan screen shares: feedback fields, the lookup, the refusals.

A scan reaches a screen as an onchange of the host's barcode mixin. Onchanges run in
the ORM's draft mode, where assigning a field of a stored record only changes the
cache, and the host's stock code assigns fields inside its own create/write (the
reserved quantity of a move line, for one). So the writes of a scan run with draft
mode switched off (``_scan_write_mode``): host code then behaves as in any button,
while the screen's own fields (a new record in an onchange) are set in the onchange's
mode and go back to the browser. Tests call ``on_barcode_scanned`` on a saved screen,
which writes the same way, and replay the browser's onchange call.

A refusal is decided before anything is written; what is written runs in a savepoint
so that an error raised by host code half-way (a constraint, a quality hold) undoes
the scan completely and is shown as the refusal.
"""
from contextlib import contextmanager

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import gs1

SCAN_STATES = [
    ("waiting", "Waiting for a scan"),
    ("ok", "Done"),
    ("warning", "Done, with a warning"),
    ("refused", "Refused"),
]


class ScanRefused(UserError):
    """A scan that changes nothing; the message says why, in the user's words."""


class SerialScanMixin(models.AbstractModel):
    _name = "serial.scan.mixin"
    _inherit = ["barcodes.barcode_events_mixin"]
    _description = "Scan screen behaviour shared by transfers and production"

    scan_status = fields.Selection(SCAN_STATES, "Scan status", default="waiting")
    scan_message = fields.Char("Last scan", readonly=True)
    scan_code = fields.Char(
        "Type a code", help="Without a scanner: type or paste a serial, lot, product "
        "barcode or GS1 code and press Enter.")

    # -- entry points ---------------------------------------------------------------
    def on_barcode_scanned(self, barcode):
        """One scan (keyboard wedge, camera, RPC): feedback in ``scan_status`` and
        ``scan_message``; nothing is written when it is refused."""
        try:
            with self.env.cr.savepoint():
                status, message = self._scan(self._scan_clean(barcode))
        except (UserError, ValidationError) as exc:
            self._scan_invalidate()
            status, message = "refused", exc.name
        self.scan_status = status
        self.scan_message = message
        return None

    @api.multi
    def scan(self, code):
        """One scan over RPC (a handheld, an integration): the feedback as
        ``{"status": ..., "message": ...}``."""
        self.ensure_one()
        self.on_barcode_scanned(code)
        return {"status": self.scan_status, "message": self.scan_message}

    @api.onchange("scan_code")
    def _onchange_scan_code(self):
        if self.scan_code:
            code, self.scan_code = self.scan_code, False
            self.on_barcode_scanned(code)

    def _scan(self, code):
        """Handle ``code``; return ``(status, message)`` or raise ``ScanRefused``."""
        raise NotImplementedError()

    # -- plumbing -----------------------------------------------------------------
    @contextmanager
    def _scan_write_mode(self):
        # See the module docstring: writes of a scan must reach the database even
        # when the scan arrives as an onchange. Only around the writes: the screen's
        # own changes are made in the onchange's mode, which marks them for the
        # browser (a changed line of a one2many is only sent back when marked).
        envs = self.env.all
        mode = envs.mode
        envs.mode = False
        try:
            yield
        finally:
            envs.mode = mode

    def _scan_invalidate(self):
        """Forget what a rolled back scan left in the cache of the stock models,
        without touching the screen's own unsaved values."""
        for model in ("stock.move.line", "stock.move", "stock.production.lot",
                      "stock.quant", "stock.picking"):
            records = self.env[model]
            records.invalidate_cache(fnames=list(records._fields))

    @api.model
    def _scan_clean(self, code):
        if not isinstance(code, str) or not code.strip(" \r\n\t"):
            raise ScanRefused(_("The scan was empty."))
        return code.strip(" \r\n\t")

    # -- what a code names ----------------------------------------------------------
    @api.model
    def _scan_lookup(self, code):
        """``(lots, products, gs1 elements)`` named by ``code``; ``ScanRefused`` for an
        unreadable code. Lots come from the unit-history lookup ``find_by_scan``;
        products also from a plain product barcode."""
        Lot = self.env["stock.production.lot"]
        try:
            found = Lot.find_by_scan(code)
        except UserError as exc:
            raise ScanRefused(exc.name)
        lots, elements = Lot.browse(found["lot_ids"]), found["gs1"] or {}
        products = self.env["product.product"].browse(found["product_ids"])
        if not elements and not lots:
            products = Lot._products_with_barcode(code)
        return lots, products, elements

    @api.model
    def _scan_other_product_lots(self, name, product):
        """Lots named ``name`` of products other than ``product``."""
        return self.env["stock.production.lot"].search(
            [("name", "=", name), ("product_id", "!=", product.id)])

    # -- which unit a scan names -------------------------------------------------------
    @api.model
    def _scan_named_product(self, products, elements, chosen):
        """``(product, by_gtin)``: the product a unit scan is for -- the one its GS1
        code's GTIN names, else ``chosen`` (a product scanned before); refuses a GTIN
        that several products share."""
        by_gtin = bool(elements and elements.get("01"))
        if by_gtin and len(products) > 1:
            raise ScanRefused(_("Several products have the GTIN %(gtin)s: %(products)s.") % {
                "gtin": elements["01"], "products": ", ".join(products.mapped("display_name"))})
        return (products if by_gtin and products else chosen), by_gtin

    @api.model
    def _scan_lot_of(self, name, lots, product, by_gtin):
        """The lot of ``product`` among ``lots`` (empty for a new number); refuses a
        number that only another product has, unless the GTIN said which product."""
        lot = lots.filtered(lambda l: l.product_id == product)
        if not lot and not by_gtin:
            others = lots or self._scan_other_product_lots(name, product)
            if others:
                raise ScanRefused(self._scan_other_product_message(
                    name, others[0].product_id, product))
        return lot

    @api.model
    def _scan_lot_among(self, name, lots, products):
        """The one lot of ``lots`` whose product is one of ``products`` (empty when
        none); refuses a number that several of them have."""
        here = lots.filtered(lambda l: l.product_id in products)
        if len(here) > 1:
            raise ScanRefused(self._scan_ambiguous_message(name, here))
        return here

    @api.model
    def _scan_new_lot_vals(self, product, name, elements):
        """Values of a new lot/serial ``name`` of ``product``, with the dates its GS1
        code carries."""
        vals = {"name": name, "product_id": product.id}
        result = gs1.GS1Result(elements or {})
        if result.production_date:
            vals["production_date"] = fields.Date.to_string(result.production_date)
        if result.expiry_date:
            vals["expiry_date"] = fields.Date.to_string(result.expiry_date)
        return vals

    # -- refusals shared by every screen --------------------------------------------
    @api.model
    def _scan_unknown(self, message, code):
        """The refusal of a code that names nothing; when it reads as a GS1 code whose
        separators were lost on the way (a scanner that does not send FNC1 as GS),
        the message says so rather than leaving the user with an unknown serial."""
        try:
            gs1.parse(code)
        except gs1.GS1Error as exc:
            if "separators" in str(exc):
                message += " " + _("It looks like a GS1 label whose separators (FNC1) did "
                                   "not arrive: set the scanner to send them as GS "
                                   "(Ctrl+]) or to send its symbology identifier.")
        return ScanRefused(message)

    @api.model
    def _scan_check_new_name(self, name, elements):
        """A plain code about to become a new serial or lot must not be a GS1 label
        read without its separators: it would be received under a garbled number."""
        if elements:
            return
        refusal = self._scan_unknown("", name)
        if refusal.name:
            raise ScanRefused(_("%s cannot become a new serial or lot number.") % name
                              + refusal.name)

    @api.model
    def _scan_other_product_message(self, name, other, product):
        return _("%(name)s is a serial/lot of %(other)s, not of %(product)s.") % {
            "name": name, "other": other.display_name, "product": product.display_name}

    @api.model
    def _scan_ambiguous_message(self, name, lots):
        return _("%(name)s names units of several products (%(products)s): scan the "
                 "product's barcode first.") % {
            "name": name, "products": ", ".join(lots.mapped("product_id.display_name"))}

    @api.model
    def _scan_blocking_reason(self, lot):
        """Why ``lot`` may not leave or be consumed now (quality hold, open recall),
        or None."""
        lot = lot.sudo()
        blocked = lot._serial_blocking_reasons("scan")
        if blocked:
            return blocked[0][1]
        if lot.open_recall_count:
            recalls = lot.recall_line_ids.mapped("recall_id").filtered(
                lambda r: r.state == "open")
            return _("%(unit)s is in open recall %(recalls)s") % {
                "unit": lot.name, "recalls": ", ".join(recalls.mapped("display_name"))}
        return None

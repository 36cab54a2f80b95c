# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Lookup by scan: the units a scanned or typed code names (a lot/serial name, a
product barcode and a serial, or a GS1 element string), and the dates a supplier's
GS1 label carries."""
import re

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import gs1

MAX_CODE_LENGTH = 256
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1c\x1e-\x1f\x7f]")


class StockProductionLot(models.Model):
    """The dates a supplier's GS1 label carries, kept when the lot is received by a scan.

    Own date fields rather than the host's ``product_expiry`` module: that module has
    no production date (AI 11) and keeps datetimes derived from product lifetimes,
    while a label gives dates; two fields do not justify one more host module in
    every install. The label printer reads ``expiry_date`` for AI 17.
    """

    _inherit = "stock.production.lot"

    production_date = fields.Date(
        "Production date", copy=False,
        help="Date of manufacture, as on the supplier's label (GS1 AI 11).")
    expiry_date = fields.Date(
        "Expiry date", copy=False,
        help="Expiration date, as on the label (GS1 AI 17).")

    # -- lookup by scan -----------------------------------------------------------
    @api.model
    def find_by_scan(self, code):
        """The units a scanned or typed code names.

        ``code``: a lot/serial name, a product barcode followed by a serial (with or
        without a space), or a GS1 element string ((01) GTIN with (21) serial or (10)
        lot; FNC1 as GS, symbology prefixes ``]C1``/``]d2``/``]Q3``, or the
        ``(01)...(21)...`` human-readable form). Returns ``{"lot_ids", "product_ids",
        "gs1"}``: one lot id when found, several when the code fits several products,
        none when no unit has it; ``gs1`` maps AI to value, empty for a plain code.
        Raises ``UserError`` for a malformed code. Reads only.
        """
        self.check_access_rights("read")
        code = self._clean_scan(code)
        strong = code.startswith("]") or gs1.GS in code or code.startswith("(")
        if strong or gs1.looks_like_gs1(code):
            # A bare "01..." code could still be a long numeric serial: exact names first.
            lots = self.browse() if strong else self.search([("name", "=", code)])
            if not lots:
                return self._find_by_gs1(code)
            return self._scan_result(lots)
        return self._find_plain(code)

    @api.model
    def _clean_scan(self, code):
        if not isinstance(code, str):
            raise UserError(_("Scan or type a code (text), not %s.") % type(code).__name__)
        code = code.strip(" \r\n\t")
        if not code:
            raise UserError(_("The code is empty."))
        if len(code) > MAX_CODE_LENGTH:
            raise UserError(_("The code is %(length)d characters long; a lot, serial or GS1 "
                              "code has at most %(max)d.")
                            % {"length": len(code), "max": MAX_CODE_LENGTH})
        if _CONTROL.search(code):
            raise UserError(_("The code contains control characters other than the GS1 "
                              "separator: it was not read correctly. Scan it again."))
        try:
            # lone surrogates ('\ud800', from a broken client) are no text the
            # database can store or compare: refuse them before any query
            code.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise UserError(_("The code contains a broken character at position %d: it "
                              "was not read correctly. Scan it again.") % (exc.start + 1))
        return code

    @api.model
    def _scan_result(self, lots, products=None, elements=None):
        products = products if products else lots.mapped("product_id")
        return {"lot_ids": sorted(lots.ids), "product_ids": sorted(products.ids),
                "gs1": dict(elements or {})}

    @api.model
    def _barcode_spellings(self, barcode):
        """A GTIN is stored with 8, 12, 13 or 14 digits: all spellings of ``barcode``."""
        spellings = {barcode}
        if gs1.is_valid_gtin(barcode):
            gtin = gs1.normalize_gtin(barcode)
            spellings.update(gtin[cut:] for cut in (0, 1, 2, 6) if set(gtin[:cut]) <= {"0"})
        return spellings

    @api.model
    def _products_with_barcode(self, barcode):
        """Products whose barcode is ``barcode``; a GTIN matches in all its spellings
        (GTIN-14 on the label, EAN-13 or UPC-A on the product)."""
        return self.env["product.product"].search(
            [("barcode", "in", sorted(self._barcode_spellings(barcode)))])

    @api.model
    def _products_by_barcode(self, barcodes):
        """``{product: the given barcode it matched}`` for products whose barcode is
        one of ``barcodes`` (a GTIN in any of its spellings)."""
        given = {}
        for barcode in barcodes:
            for spelling in self._barcode_spellings(barcode):
                given.setdefault(spelling, barcode)
        if not given:
            return {}
        products = self.env["product.product"].search([("barcode", "in", sorted(given))],
                                                      order="id")
        return {product: given[product.barcode] for product in products}

    @api.model
    def _find_by_gs1(self, code):
        try:
            elements = gs1.parse(code).elements
        except gs1.GS1Error as exc:
            raise UserError(_("This code cannot be read: %s.") % str(exc).rstrip("."))
        products = self.env["product.product"]
        if "01" in elements or "02" in elements:
            products = self._products_with_barcode(elements.get("01") or elements["02"])
            if not products:
                return self._scan_result(self.browse(), products, elements)
        lots = self.browse()
        for ai in ("21", "10"):
            if ai in elements:
                domain = [("name", "=", elements[ai])]
                if products:
                    domain.append(("product_id", "in", products.ids))
                lots = self.search(domain)
                if lots:
                    break
        return self._scan_result(lots, products, elements)

    @api.model
    def _find_plain(self, code):
        lots = self.search([("name", "=", code)])
        if lots:
            return self._scan_result(lots)
        # A product barcode, then the serial: separated by blanks, or run together.
        parts = code.split(None, 1)
        if len(parts) == 2:
            products = self._products_with_barcode(parts[0])
            if products:
                return self._scan_result(self.search([
                    ("name", "=", parts[1].strip()),
                    ("product_id", "in", products.ids)]), products)
        lots = self.browse()
        matched = self._products_by_barcode([code[:n] for n in range(1, len(code))])
        for product, prefix in matched.items():
            lots |= self.search([("name", "=", code[len(prefix):]),
                                 ("product_id", "=", product.id)])
        return self._scan_result(lots, lots.mapped("product_id"))

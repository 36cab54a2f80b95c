# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What users ask of a unit first: who made it, who sold it to us, who has it.

The fields are stored so the host's lot list can search and group on them; one SQL
statement (``_recompute_unit_fields``) derives them from the host's done move lines,
called wherever the host finishes or edits stock moves (see ``stock_move_unit.py``
and ``stock_move_line_unit.py``). Nothing else writes them, so they cannot drift
from the moves; ``vendor_lot`` is the one field users type.
"""
import re

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import gs1
from ..sql import install as install_sql
from .serial_actions import window_action
from .serial_guard import refuse_computed

UNIT_STATES = [
    ("in_stock", "In stock"),
    ("consumed", "Consumed / unbuilt"),
    ("shipped", "Shipped"),
    ("returned", "Returned"),
    ("scrapped", "Scrapped"),
    ("quarantined", "Quarantined"),
]
UNIT_FIELDS = ["production_id", "supplier_id", "customer_id", "ship_date", "unit_state",
               "delivery_picking_id", "current_location_id"]
# Lot columns only a recompute writes (this SQL, or the ORM's recompute of stored
# computed fields, neither of which goes through write): a recall's scope and the
# warranty read them, so no one edits them by hand (issue 14).
DERIVED_FIELDS = UNIT_FIELDS + ["quality_state", "warranty_start", "warranty_end"]
MAX_CODE_LENGTH = 256
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1c\x1e-\x1f\x7f]")

# Done move lines of the given lots, with what each did to our stock ({hold}: see
# _unit_fields_sql; {lines} and {lots} choose the lots: ``lot_ids``, or at install a
# range of lot ids, readable lines only). Quantities go to the lot's product unit: a
# lot is "in stock" while what came into internal/transit locations exceeds what left
# them. Set-based (one pass, sorts and hash joins), so one lot after a transfer and
# every lot of a database at install cost the same per lot.
_RECOMPUTE = """
WITH ml AS (
    SELECT ml.id, ml.lot_id, ml.date, m.production_id, ml.location_dest_id, ml.picking_id,
           COALESCE(m.scrapped, FALSE) OR COALESCE(dst.scrap_location, FALSE) AS scrapped,
           src.usage AS src_usage, dst.usage AS dst_usage,
           COALESCE(p.partner_id, m.partner_id) AS partner_id,
           ml.qty_done / COALESCE(NULLIF(mu.factor, 0), 1) * COALESCE(pu.factor, 1) AS qty
      FROM stock_move_line ml
      JOIN stock_move m ON m.id = ml.move_id
      JOIN stock_location src ON src.id = ml.location_id
      JOIN stock_location dst ON dst.id = ml.location_dest_id
      JOIN product_product pp ON pp.id = ml.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
      LEFT JOIN product_uom mu ON mu.id = ml.product_uom_id
      LEFT JOIN product_uom pu ON pu.id = pt.uom_id
      LEFT JOIN stock_picking p ON p.id = ml.picking_id
     WHERE ml.state = 'done' AND {lines}
), made AS (
    SELECT DISTINCT ON (lot_id) lot_id, production_id FROM ml
     WHERE production_id IS NOT NULL ORDER BY lot_id, date DESC, id DESC
), last AS (
    SELECT DISTINCT ON (lot_id) lot_id, location_dest_id FROM ml
     ORDER BY lot_id, date DESC, id DESC
), received AS (
    SELECT DISTINCT ON (lot_id) lot_id, partner_id FROM ml
     WHERE src_usage = 'supplier' ORDER BY lot_id, date, id
), ship AS (
    SELECT DISTINCT ON (lot_id) lot_id, partner_id, date, picking_id FROM ml
     WHERE dst_usage = 'customer' ORDER BY lot_id, date DESC, id DESC
), customer_side AS (
    SELECT DISTINCT ON (lot_id) lot_id, src_usage = 'customer' AS came_back FROM ml
     WHERE 'customer' IN (src_usage, dst_usage) ORDER BY lot_id, date DESC, id DESC
), went_out AS (
    SELECT DISTINCT ON (lot_id) lot_id, dst_usage, scrapped FROM ml
     WHERE src_usage IN ('internal', 'transit') AND dst_usage NOT IN ('internal', 'transit')
     ORDER BY lot_id, date DESC, id DESC
), balance AS (
    SELECT lot_id, SUM(CASE WHEN dst_usage IN ('internal', 'transit') THEN qty ELSE 0 END)
                 - SUM(CASE WHEN src_usage IN ('internal', 'transit') THEN qty ELSE 0 END)
                   AS qty
      FROM ml GROUP BY lot_id
), result AS (
    SELECT l.id AS lot_id, made.production_id, received.partner_id AS supplier_id,
           ship.partner_id AS customer_id, ship.date AS ship_date,
           ship.picking_id AS delivery_picking_id, last.location_dest_id AS current_location_id,
           (CASE WHEN COALESCE(balance.qty, 0) > 0.000001 THEN
                      CASE WHEN {hold} THEN 'quarantined'
                           WHEN customer_side.came_back THEN 'returned'
                           ELSE 'in_stock' END
                 WHEN went_out.dst_usage IS NULL THEN NULL
                 WHEN went_out.scrapped OR went_out.dst_usage = 'inventory' THEN 'scrapped'
                 WHEN went_out.dst_usage = 'production' THEN 'consumed'
                 WHEN went_out.dst_usage IN ('customer', 'supplier') THEN 'shipped'
            END)::varchar AS unit_state
      FROM stock_production_lot l
      LEFT JOIN last ON last.lot_id = l.id
      LEFT JOIN made ON made.lot_id = l.id
      LEFT JOIN received ON received.lot_id = l.id
      LEFT JOIN ship ON ship.lot_id = l.id
      LEFT JOIN customer_side ON customer_side.lot_id = l.id
      LEFT JOIN went_out ON went_out.lot_id = l.id
      LEFT JOIN balance ON balance.lot_id = l.id
     WHERE {lots}
)
{final}"""

# Runtime: write what changed.
_UPDATE = """
UPDATE stock_production_lot lot
   SET production_id = r.production_id, supplier_id = r.supplier_id,
       customer_id = r.customer_id, ship_date = r.ship_date, unit_state = r.unit_state,
       delivery_picking_id = r.delivery_picking_id, current_location_id = r.current_location_id
  FROM result r
 WHERE lot.id = r.lot_id
   AND (lot.production_id, lot.supplier_id, lot.customer_id, lot.ship_date, lot.unit_state,
        lot.delivery_picking_id, lot.current_location_id)
       IS DISTINCT FROM
       (r.production_id, r.supplier_id, r.customer_id, r.ship_date, r.unit_state,
        r.delivery_picking_id, r.current_location_id)
"""

# Install: into the install's work table (``install_sql.UNIT_TABLE``), lots that
# moved only; the install writes every lot column in one pass afterwards.
_INSERT = """
INSERT INTO serial_install_lot_unit
SELECT r.lot_id, r.production_id, r.supplier_id, r.customer_id, r.ship_date, r.unit_state,
       r.delivery_picking_id, r.current_location_id
  FROM result r
 WHERE num_nonnulls(r.production_id, r.supplier_id, r.customer_id, r.ship_date,
                    r.unit_state, r.delivery_picking_id, r.current_location_id) > 0
"""


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    production_id = fields.Many2one(
        "mrp.production", "Built by", readonly=True, index=True, copy=False,
        help="The manufacturing order that built this unit.")
    supplier_id = fields.Many2one(
        "res.partner", "Supplier", readonly=True, index=True, copy=False,
        help="Who we first received this lot/serial from.")
    vendor_lot = fields.Char(
        "Vendor lot", index=True, copy=False, track_visibility="onchange",
        help="The supplier's own lot or serial number, as printed on their label.")
    customer_id = fields.Many2one(
        "res.partner", "Last customer", readonly=True, index=True, copy=False,
        help="The customer of the last delivery of this unit (kept after a return).")
    ship_date = fields.Datetime("Last shipped on", readonly=True, copy=False)
    delivery_picking_id = fields.Many2one(
        "stock.picking", "Last delivery", readonly=True, copy=False,
        help="The transfer of the last delivery of this unit to a customer.")
    # Stored so that a trace of 25,000 units reads where each one is from the lot row
    # instead of probing the host's move lines once per unit (benchmarks/genealogy.py).
    current_location_id = fields.Many2one(
        "stock.location", "Current location", readonly=True, index=True, copy=False,
        help="Where the last done move of this unit took it.")
    unit_state = fields.Selection(
        UNIT_STATES, "Unit status", readonly=True, index=True, copy=False,
        help="From the done stock moves: in our stock (returned: it came back from a "
             "customer; quarantined: on quality hold), consumed into another product or "
             "unbuilt, shipped to a customer or back to the supplier, or scrapped.")
    unit_history_count = fields.Integer(compute="_compute_unit_history_count")

    # -- keeping the fields right -------------------------------------------------
    @api.model
    def _unit_fields_sql(self, install=False):
        """The recompute for ``lot_ids``; ``install``: the values of lot ids
        ``first`` to ``stop`` (excluded) into the install's work table, leaving out
        lines the install cannot read."""
        hold = "FALSE"
        field = self._fields.get("quality_hold")
        if field is not None and field.store and field.type == "boolean":
            hold = "COALESCE(l.quality_hold, FALSE)"
        if install:
            return _RECOMPUTE.format(
                hold=hold, lots="l.id >= %(first)s AND l.id < %(stop)s",
                lines="ml.lot_id >= %(first)s AND ml.lot_id < %(stop)s AND "
                      + install_sql.READABLE, final=_INSERT)
        return _RECOMPUTE.format(hold=hold, lines="ml.lot_id = ANY(%(lot_ids)s)",
                                 lots="l.id = ANY(%(lot_ids)s)", final=_UPDATE)

    @api.multi
    def _recompute_unit_fields(self):
        """Derive the stored unit fields of these lots from their done move lines."""
        ids = [i for i in self.ids if isinstance(i, int)]
        if not ids:
            return
        self.env.cr.execute(self._unit_fields_sql(), {"lot_ids": ids})
        self.invalidate_cache(fnames=UNIT_FIELDS, ids=ids)

    @api.model
    def _backfill_unit_fields(self, chunk=100000, log=None):
        """The unit fields of every lot, from the history, into the install's work
        table (``serial.install`` writes them): ``chunk`` lots per statement,
        ``log(done, total)`` after each. Returns how many lots have values."""
        chunks, total = self.env["serial.install"]._ranges("stock_production_lot", chunk)
        sql, found = self._unit_fields_sql(install=True), 0
        for start, stop, done in chunks:
            self.env.cr.execute(sql, {"first": start, "stop": stop})
            found += self.env.cr.rowcount
            if log:
                log(done, total)
        return found

    @api.model
    def create(self, vals):
        refuse_computed(self, {k: v for k, v in vals.items() if v}, DERIVED_FIELDS)
        return super(StockProductionLot, self).create(vals)

    @api.multi
    def write(self, vals):
        refuse_computed(self, vals, DERIVED_FIELDS)
        res = super(StockProductionLot, self).write(vals)
        if "quality_hold" in vals:
            self._recompute_unit_fields()
        return res

    # -- history ------------------------------------------------------------------
    @api.multi
    def _compute_unit_history_count(self):
        history = self.env["serial.unit.history"]
        counts = {}
        if self.ids and history.check_access_rights("read", raise_exception=False):
            for group in history.read_group([("lot_id", "in", self.ids)], ["lot_id"],
                                            ["lot_id"]):
                counts[group["lot_id"][0]] = group["lot_id_count"]
        for lot in self:
            lot.unit_history_count = counts.get(lot.id, 0)

    @api.multi
    def get_unit_history(self, include_components=False):
        """This unit's timeline, newest first, as dicts of the history's columns
        (``include_components``: also how the units that went into it, at every
        level, were received or built). One indexed query on the history view."""
        self.check_access_rights("read")
        self._check_trace_request("backward")
        history = self.env["serial.unit.history"]
        # Dates come as UTC strings (Odoo's cursor), ready for JSON.
        return history._rows_of_lots(self, bool(include_components))

    @api.multi
    def action_open_unit_history(self, include_components=False):
        history = self.env["serial.unit.history"]
        names = ", ".join(self[:3].mapped("name")) + (", ..." if len(self) > 3 else "")
        return window_action(self.env, "serial_traceability.serial_unit_history_action",
                             _("History of %s") % names,
                             domain=history._domain_for_lots(self, include_components),
                             context={"search_default_filter_no_moves": 1})

    @api.multi
    def action_open_unit_history_with_components(self):
        return self.action_open_unit_history(include_components=True)

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

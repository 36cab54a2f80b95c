# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Serials made from patterns, in bulk, and unique per product and company.

Uniqueness: the host's ``unique(name, product_id)`` forbids two companies sharing a
product to use the same serial (odoo/odoo#17107); it is replaced by a unique index on
``(name, product_id, COALESCE(company_id, 0))``. ``create``/``write`` look first, to
name the serial and where it is in the message; the index decides races: a loser's
insert waits for the winner's commit and then fails, and that failure is turned into
the same message.

Bulk: a 10,000-unit receipt cannot afford 10,000 ORM creates (measured ~1.8 ms each
with mail logging off, ~13.5 ms with it, on an idle machine). ``_serial_bulk_create``
goes through ``serial_bulk_insert``.
"""
import logging
import re

import psycopg2
from psycopg2 import errorcodes

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import gs1, serial_pattern
from ..sql import install as install_sql
from .serial_bulk_insert import bulk_insert, finish_bulk_insert
from .serial_pattern_mixin import MAX_BATCH

# stock_move_line_entry.HOST_PATH_KEY (not imported: the import order of models
# is their order of inheritance)
HOST_PATH_KEY = "serial_traceability_host_path"

_logger = logging.getLogger(__name__)

UNIQUE_INDEX = "stock_production_lot_serial_company_uniq"
HOST_CONSTRAINT = "name_ref_uniq"


class SerialRace(UserError):
    """The unique index refused a number another transaction committed meanwhile.

    A signal between ``_serial_bulk_create`` and ``_serial_generate`` (which numbers
    the unit again), never raised to a caller: RPC clients recognise a user error by
    its name, ``odoo.exceptions.UserError`` (see ``odoo.http.serialize_exception``),
    so what leaves the model is a plain ``UserError`` with the same message."""

    def __init__(self, message, serial):
        super(SerialRace, self).__init__(message)
        self.serial = serial


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    company_id = fields.Many2one(
        "res.company", "Company", index=True,
        help="Serial numbers are unique per product and company. Set from the receipt, "
             "manufacturing order, product or user when the number is created.")
    preassigned_production_id = fields.Many2one(
        "mrp.production", "Pre-assigned to", readonly=True, index=True, copy=False,
        ondelete="set null",
        help="The manufacturing order this serial was created for at confirmation.")
    serial_preassigned_state = fields.Selection(
        [("unused", "Unused"), ("used", "Used")], "Pre-assigned serial",
        compute="_compute_serial_preassigned_state",
        search="_search_serial_preassigned_state",
        help="Unused: created for a manufacturing order and not (yet) produced. A "
             "cancelled order's unused serials stay visible, and are never proposed to "
             "another order.")

    # -- uniqueness -------------------------------------------------------------
    @api.model_cr
    def _add_sql_constraints(self):
        # the host's unique(name, product_id) would forbid a shared product's serial in
        # a second company; init() replaces it with the company-scoped index
        cls = type(self)
        saved = cls._sql_constraints
        cls._sql_constraints = [c for c in saved if c[0] != HOST_CONSTRAINT]
        try:
            return super(StockProductionLot, self)._add_sql_constraints()
        finally:
            cls._sql_constraints = saved

    @api.model_cr
    def init(self):
        res = super(StockProductionLot, self).init()
        cr = self.env.cr
        cr.execute("ALTER TABLE stock_production_lot "
                   "DROP CONSTRAINT IF EXISTS stock_production_lot_name_ref_uniq")
        # Lots made before install get their company from the install's backfill
        # (models/serial_install.py), which then creates the unique index.
        if self.env["serial.install"]._lot_company_done():
            self._create_serial_unique_index()
        return res

    @api.model
    def _create_serial_unique_index(self):
        """The company-scoped uniqueness of serials; history that breaks it (the
        host's constraint missing, or dropped) is reported, not a failed install."""
        cr = self.env.cr
        try:
            with cr.savepoint():
                cr.execute("CREATE UNIQUE INDEX IF NOT EXISTS "
                           "stock_production_lot_serial_company_uniq ON stock_production_lot "
                           "(name, product_id, COALESCE(company_id, 0))")
        except psycopg2.IntegrityError:
            cr.execute("""
                SELECT array_agg(id ORDER BY id) FROM stock_production_lot
                 GROUP BY name, product_id, COALESCE(company_id, 0) HAVING count(*) > 1""")
            _logger.error("Serial numbers are not unique per product and company, so the "
                          "index enforcing it was not created; lots sharing a number: %s",
                          "; ".join(install_sql.some_ids(row[0], 5)
                                    for row in cr.fetchall()[:20]))

    @api.model
    def _serial_default_company(self, product):
        return product.sudo().company_id or self.env.user.company_id

    @api.model
    def _serial_existing(self, product_id, company_id, names, exclude_ids=()):
        """{name: lot id} of ``names`` already used, whatever the user may read."""
        self.env.cr.execute("""
            SELECT name, id FROM stock_production_lot
             WHERE product_id = %s AND COALESCE(company_id, 0) = %s AND name = ANY(%s)
               AND NOT id = ANY(%s)""",
                            (product_id, company_id or 0, list(names), list(exclude_ids)))
        return dict(self.env.cr.fetchall())

    @api.model
    def _serial_duplicate_message(self, product, company, name, lot_id=None):
        where = _("it was just created by someone else")
        if lot_id:
            lot = self.sudo().browse(lot_id)
            quants = lot.quant_ids.filtered(lambda q: q.quantity > 0 and
                                            q.location_id.usage in ("internal", "transit"))
            last = self.env["stock.move.line"].sudo().search(
                [("lot_id", "=", lot.id)], order="date desc, id desc", limit=1)
            if quants:
                where = _("it is in stock at %s") % ", ".join(
                    quants.mapped("location_id.display_name"))
            elif last:
                where = _("it was last moved by %s") % (
                    last.reference or last.move_id.name or last.production_id.name)
            elif lot.preassigned_production_id:
                where = _("it is pre-assigned to %s") % lot.preassigned_production_id.name
            else:
                where = _("it was created on %s and has not moved") % lot.create_date
        return _('Serial/lot number "%(name)s" already exists for product "%(product)s" in '
                 'company %(company)s (%(where)s). A number can be used only once per '
                 'product and company.') % {
            "name": name, "product": product.sudo().display_name,
            "company": company.sudo().name or "-", "where": where}

    @api.model
    def _serial_check_free(self, product, company, names, exclude_ids=()):
        existing = self._serial_existing(product.id, company.id, names, exclude_ids)
        if existing:
            name = sorted(existing)[0]
            message = self._serial_duplicate_message(product, company, name, existing[name])
            if len(existing) > 1:
                message += _(" %(count)d more of these numbers exist as well: %(names)s") % {
                    "count": len(existing) - 1, "names": ", ".join(sorted(existing)[1:6])}
            raise UserError(message)

    def _serial_translate_race(self, exc, product, company, name=None, retry=False):
        """A clear error for the loser of a race on the unique index: a plain
        ``UserError``, or ``SerialRace`` for a caller that numbers again (``retry``)."""
        if exc.pgcode == errorcodes.UNIQUE_VIOLATION and UNIQUE_INDEX in str(exc):
            # "Key (name, product_id, COALESCE(company_id, 0))=(SN-1, 7, 1) already exists."
            match = re.search(r"\)=\((.*), \d+, \d+\) already exists",
                              exc.diag.message_detail or "")
            name = match.group(1) if match else name
            message = self._serial_duplicate_message(product, company, name)
            raise SerialRace(message, name) if retry else UserError(message)
        raise exc

    @api.model
    def create(self, vals):
        vals = dict(vals)
        product = self.env["product.product"].browse(vals.get("product_id"))
        if product and not vals.get("company_id"):
            vals["company_id"] = self._serial_default_company(product).id
        if product and "name" not in vals:
            vals["name"] = self.default_get(["name"]).get("name")
        company = self.env["res.company"].browse(vals.get("company_id"))
        if product and vals.get("name"):
            self._serial_check_free(product, company, [vals["name"]])
        try:
            with self.env.cr.savepoint():
                return super(StockProductionLot, self).create(vals)
        except psycopg2.IntegrityError as exc:
            self._serial_translate_race(exc, product, company, vals.get("name"))

    @api.multi
    def write(self, vals):
        keys = {"name", "product_id", "company_id"} & set(vals)
        if not keys:
            return super(StockProductionLot, self).write(vals)
        Product, Company = self.env["product.product"], self.env["res.company"]
        for lot in self:
            product = Product.browse(vals["product_id"]) if "product_id" in vals \
                else lot.product_id
            company = Company.browse(vals["company_id"]) if "company_id" in vals \
                else lot.company_id
            self._serial_check_free(product, company, [vals.get("name", lot.name)],
                                    exclude_ids=self.ids)
        try:
            with self.env.cr.savepoint():
                return super(StockProductionLot, self).write(vals)
        except psycopg2.IntegrityError as exc:
            lot = self[:1]
            self._serial_translate_race(
                exc, Product.browse(vals.get("product_id")) or lot.product_id,
                Company.browse(vals.get("company_id")) or lot.company_id,
                vals.get("name", lot.name))

    # -- pre-assigned serials ---------------------------------------------------
    @api.model
    def _serial_used_ids(self, lot_ids):
        self.env.cr.execute("""
            SELECT DISTINCT lot_id FROM stock_move_line
             WHERE lot_id = ANY(%s) AND qty_done > 0""", (list(lot_ids),))
        return {row[0] for row in self.env.cr.fetchall()}

    @api.multi
    def _compute_serial_preassigned_state(self):
        preassigned = self.filtered("preassigned_production_id")
        used = self._serial_used_ids(preassigned.ids) if preassigned else set()
        for lot in self:
            if not lot.preassigned_production_id:
                lot.serial_preassigned_state = False
            else:
                lot.serial_preassigned_state = "used" if lot.id in used else "unused"

    @api.model
    def _search_serial_preassigned_state(self, operator, value):
        if operator not in ("=", "!=") or value not in ("unused", "used", False):
            raise UserError(_("Search pre-assigned serials as 'unused' or 'used'."))
        if not value:
            return [("preassigned_production_id", operator, False)]
        if operator == "!=":
            value = "used" if value == "unused" else "unused"
        self.env.cr.execute("""
            SELECT l.id FROM stock_production_lot l
             WHERE l.preassigned_production_id IS NOT NULL
               AND EXISTS (SELECT 1 FROM stock_move_line ml
                            WHERE ml.lot_id = l.id AND ml.qty_done > 0)""")
        used = [row[0] for row in self.env.cr.fetchall()]
        if value == "used":
            return [("id", "in", used)]
        # spliced into the caller's domain leaf by leaf: carry the operator
        return ["&", ("preassigned_production_id", "!=", False), ("id", "not in", used)]

    # -- generation -------------------------------------------------------------
    @api.model
    def _serial_render_context(self, product, warehouse=None, date=None):
        return {
            "prod": product.default_code or False,
            "categ": product.categ_id._serial_categ_code() if product.categ_id else False,
            "wh": warehouse.code if warehouse else False,
            "date": date or fields.Date.from_string(fields.Date.context_today(self)),
        }

    @api.model
    def _serial_names(self, product, count, company, warehouse=None):
        """``count`` new numbers for ``product`` from its pattern, none in use yet."""
        owner = product.product_tmpl_id._serial_pattern_owner()
        pattern = owner.serial_pattern
        context = self._serial_render_context(product, warehouse)
        try:
            serial_pattern.validate(pattern)
            serial_pattern.render(pattern, 0, context)  # fails before numbers are used up
            names = []
            for dummy in range(10):
                wanted = count - len(names)
                batch = [serial_pattern.render(pattern, n, context)
                         for n in owner._serial_take_numbers(wanted)]
                taken = self._serial_existing(product.id, company.id, batch)
                names += [n for n in batch if n not in taken]
                if len(names) == count:
                    return names
                # typed by hand or made under an older pattern: skip, never reuse
                _logger.info("Serial counter of %s skipped %d numbers in use",
                             owner.display_name, len(taken))
        except serial_pattern.PatternError as exc:
            raise UserError(_("Cannot number %(product)s with the pattern %(pattern)r of "
                              "%(owner)s: %(reason)s") % {
                "product": product.display_name, "pattern": pattern,
                "owner": owner.display_name, "reason": exc})
        raise UserError(_("The counter of %s keeps hitting numbers already in use; raise "
                          "its next number.") % owner.display_name)

    @api.model
    def _serial_bulk_create(self, product, names, company, extra=None, recompute=True):
        """Lots named ``names`` (in order); ``extra``: per-lot dicts of more values."""
        self.check_access_rights("create")
        if len(set(names)) != len(names):
            raise UserError(_("The same number appears twice in one generation."))
        self._serial_check_free(product, company, names)
        rows = [dict(extra[i] if extra else {}, name=name, product_id=product.id,
                     company_id=company.id) for i, name in enumerate(names)]
        known = self._serial_known_values(product, set().union(*rows))
        for row in rows:
            row.update(known)
        try:
            with self.env.cr.savepoint():
                lots, values = bulk_insert(self, rows, with_values=True)
        except psycopg2.IntegrityError as exc:
            self._serial_translate_race(exc, product, company, retry=True)
        host = self._context.get(HOST_PATH_KEY)
        finish_bulk_insert(lots, set().union(*rows), recompute=recompute, known=known,
                           values=None if host else values)
        return lots

    @api.model
    def _serial_generate(self, product, count, company=None, warehouse=None,
                         vendor_codes=None, extra=None, recompute=True):
        """``count`` new lots of ``product`` numbered by its pattern, in order.
        ``recompute=False``: the caller runs ``recompute()`` (see finish_bulk_insert)."""
        self.check_access_rights("create")
        if product.tracking == "none":
            raise UserError(_("%s is not tracked by lot or serial number.")
                            % product.display_name)
        company = company or self._serial_default_company(product)
        warehouse = warehouse or self.env["stock.warehouse"].sudo().search(
            [("company_id", "=", company.id)], limit=1)
        names = self._serial_names(product, count, company, warehouse)
        rows = [dict(extra or {}) for dummy in names]
        if vendor_codes:
            if len(vendor_codes) != count:
                raise UserError(_("%(given)d vendor numbers were given for %(count)d new "
                                  "numbers of %(product)s.") % {
                    "given": len(vendor_codes), "count": count,
                    "product": product.display_name})
            for row, code in zip(rows, vendor_codes):
                row["vendor_lot"] = code
        for dummy in range(5):
            try:
                return self._serial_bulk_create(product, names, company, rows,
                                                recompute=recompute)
            except SerialRace as race:
                if race.serial not in names:
                    raise UserError(race.name)
                # someone typed this number meanwhile: give that unit the next one
                names[names.index(race.serial)] = self._serial_names(
                    product, 1, company, warehouse)[0]
        raise UserError(_("Other users keep taking the numbers of %s; try again.")
                        % product.display_name)

    @api.model
    def _serial_vendor_code(self, code, tracking):
        """A typed or scanned vendor number; from a GS1 scan its (21) or (10)."""
        code = (code or "").strip(" \r\n\t")
        if not code:
            return False
        if gs1.looks_like_gs1(code):
            try:
                result = gs1.parse(code)
            except gs1.GS1Error as exc:
                raise UserError(_("Vendor code %(code)r: %(reason)s") % {
                    "code": code.replace(gs1.GS, " "), "reason": exc})
            value = result.serial if tracking == "serial" else result.lot
            code = value or result.serial or result.lot or code
        if any(ord(ch) < 32 for ch in code) or len(code) > 128:
            raise UserError(_("Vendor code %r was not read correctly; scan it again.")
                            % code[:40])
        return code

    @api.model
    def generate_serials(self, product_id, quantity, vendor_codes=None):
        """RPC: ``quantity`` new serial numbers (lots, for a lot-tracked product) of
        product ``product_id`` from its pattern; returns their ids in order.
        ``vendor_codes``: optional list of the supplier's numbers, one per new lot."""
        self.check_access_rights("create")
        if not isinstance(product_id, int) or isinstance(product_id, bool):
            raise UserError(_("Give the product as its id."))
        if not isinstance(quantity, int) or isinstance(quantity, bool) \
                or not 1 <= quantity <= MAX_BATCH:
            raise UserError(_("Generate 1 to %d numbers at a time.") % MAX_BATCH)
        if vendor_codes is not None and (not isinstance(vendor_codes, list) or not all(
                isinstance(c, str) for c in vendor_codes)):
            raise UserError(_("Vendor codes are a list of texts."))
        product = self.env["product.product"].browse(product_id).exists()
        if not product:
            raise UserError(_("Product #%s does not exist.") % product_id)
        product.check_access_rule("read")
        codes = [self._serial_vendor_code(c, product.tracking) for c in vendor_codes or []]
        return self._serial_generate(product, quantity, vendor_codes=codes or None).ids

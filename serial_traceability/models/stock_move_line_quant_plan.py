# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The quants of a slice of done lines moved in a few statements (issue 19, item 2).

For each line the host's ``_action_done`` calls ``stock.quant``'s
``_update_reserved_quantity`` once and ``_update_available_quantity`` twice: one
search and one or two writes each, six to ten statements per serial. Before the host
processes a slice of lines (``stock_move_line_done_batch.py``), ``_quant_plan`` reads
the quants those lines touch in one query, works out in memory what the host's calls
will do to them (``lib/quant_book.py``: the same rules, step for step) and keeps, in a
:class:`QuantPlan`, the calls the host will make and what each returns. The host then
runs its own loop (its checks, its messages, the lines' own writes); its first quant
call writes the worked-out quants in a few statements (after every check above it
has passed, so a refused validation writes nothing) and each call takes its answer
from the plan, which checks that the host asks exactly what was planned.

A slice with any line the plan does not cover (an untracked product, a unit of
measure to convert, a lot to create, more done than reserved, a serial that would
count twice, untracked stock at the source, a quant another transaction holds) is
left entirely to the host.
"""
import collections

from psycopg2 import OperationalError

from odoo import SUPERUSER_ID, api, fields, models
from odoo.tools import float_compare, float_is_zero, float_round

from ..lib.quant_book import NeedsHost, QuantBook

PLAN_KEY = "serial_quant_plan"
ROWS_PER_STATEMENT = 1000


class QuantPlan(object):
    """The host's quant calls for one slice of lines, with their answers. Only code
    of this process can put one in a context (an RPC context is plain data)."""

    def __init__(self, apply):
        self.calls = collections.deque()
        self.apply = apply  # writes the worked-out quants, at the host's first call

    def expect(self, name, args, answer):
        self.calls.append((name, args, answer))

    def take(self, name, args):
        if self.apply:
            apply, self.apply = self.apply, None
            apply()
        if not self.calls or self.calls[0][:2] != (name, args):
            raise RuntimeError("serial_traceability: the host's quant call %r is not the "
                               "planned %r" % ((name, args), self.calls and self.calls[0][:2]))
        return self.calls.popleft()[2]

    def check_done(self):
        if self.calls:
            raise RuntimeError("serial_traceability: %d planned quant calls were not made"
                               % len(self.calls))


def quant_plan(records):
    plan = records.env.context.get(PLAN_KEY)
    return plan if isinstance(plan, QuantPlan) else None


def _ids(product, location, quantity, lot, package, owner):
    return (product.id, location.id, quantity, lot.id or 0 if lot else 0,
            package.id or 0 if package else 0, owner.id or 0 if owner else 0)


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model
    def _update_reserved_quantity(self, product_id, location_id, quantity, lot_id=None,
                                  package_id=None, owner_id=None, strict=False):
        plan = quant_plan(self)
        if plan is not None:
            return plan.take("reserved", _ids(product_id, location_id, quantity, lot_id,
                                              package_id, owner_id))
        return super(StockQuant, self)._update_reserved_quantity(
            product_id, location_id, quantity, lot_id=lot_id, package_id=package_id,
            owner_id=owner_id, strict=strict)

    @api.model
    def _update_available_quantity(self, product_id, location_id, quantity, lot_id=None,
                                   package_id=None, owner_id=None, in_date=None):
        plan = quant_plan(self)
        if plan is not None:
            return plan.take("available", _ids(product_id, location_id, quantity, lot_id,
                                               package_id, owner_id))
        return super(StockQuant, self)._update_available_quantity(
            product_id, location_id, quantity, lot_id=lot_id, package_id=package_id,
            owner_id=owner_id, in_date=in_date)


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _quant_plan_covers(self):
        """True when the host's processing of this line is three plain quant calls."""
        ml = self
        product, uom = ml.product_id, ml.product_uom_id
        if (product.type != "product" or product.tracking == "none" or not ml.lot_id
                or uom != product.uom_id or ml.move_id.product_id != product
                or "view" in (ml.location_id.usage, ml.location_dest_id.usage)):
            return False
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        if float_compare(float_round(ml.qty_done, precision_rounding=uom.rounding,
                                     rounding_method="HALF-UP"),
                         float_round(ml.qty_done, precision_digits=digits,
                                     rounding_method="HALF-UP"),
                         precision_digits=digits) != 0:
            return False  # the host's rounding error
        if float_compare(ml.qty_done, 0, precision_rounding=uom.rounding) <= 0:
            return False
        return (ml.location_id.should_bypass_reservation() or float_compare(
            ml.qty_done, ml.product_qty, precision_rounding=uom.rounding) <= 0)

    def _quant_plan(self, emptied):
        """The :class:`QuantPlan` of these lines, or None when the host must do them.
        ``emptied``: quants already emptied by this batch (deleted at its end)."""
        if not self or not all(ml._quant_plan_covers() for ml in self):
            return None
        cr, Quant = self.env.cr, self.env["stock.quant"].sudo()
        products = list({ml.product_id.id for ml in self})
        lots = list({ml.lot_id.id for ml in self})
        sources = list({ml.location_id.id for ml in self})
        cr.execute("""SELECT 1 FROM stock_quant WHERE lot_id IS NULL
                       AND product_id = ANY(%s) AND location_id = ANY(%s) LIMIT 1""",
                   (products, sources))
        if cr.fetchone():
            return None  # the host may take from untracked stock: its call, not ours
        cr.execute("""SELECT id, product_id, location_id, COALESCE(lot_id, 0),
                             COALESCE(package_id, 0), COALESCE(owner_id, 0),
                             quantity, reserved_quantity, in_date
                        FROM stock_quant
                       WHERE product_id = ANY(%s) AND lot_id = ANY(%s)""", (products, lots))
        rows = [(r[0], r[1:6], r[6], r[7], r[8]) for r in cr.fetchall()
                if r[0] not in emptied]
        if rows and not self._quant_plan_lock([r[0] for r in rows]):
            return None
        strategies = {}

        def strategy(product_id, location_id):
            key = (product_id, location_id)
            if key not in strategies:
                strategies[key] = Quant._get_removal_strategy(
                    self.env["product.product"].browse(product_id),
                    self.env["stock.location"].browse(location_id))
            return strategies[key]

        products_by_id = {ml.product_id.id: ml.product_id for ml in self}

        def rounding(product_id):
            return products_by_id[product_id].uom_id.rounding

        book = QuantBook(
            rows, strategy, fields.Datetime.now(),
            lambda p, value: float_is_zero(value, precision_rounding=rounding(p)),
            lambda p, a, b: float_compare(a, b, precision_rounding=rounding(p)),
            lambda p: products_by_id[p].tracking == "serial")
        plan = QuantPlan(lambda: self._quant_plan_write(book, emptied))
        try:
            for ml in self:
                self._quant_plan_line(ml, book, plan)
        except NeedsHost:
            return None
        if any(strategies[key] not in ("fifo", "lifo") for key in strategies):
            return None
        return plan

    @api.model
    def _quant_plan_line(self, ml, book, plan):
        """The host's three quant calls of ``ml``, worked out and expected."""
        product, lot, owner = ml.product_id, ml.lot_id, ml.owner_id
        source = _ids(product, ml.location_id, 0, lot, ml.package_id, owner)
        dest = _ids(product, ml.location_dest_id, 0, lot, ml.result_package_id, owner)
        if not ml.location_id.should_bypass_reservation() and ml.product_qty:
            book.unreserve(source[:2] + source[3:], ml.product_qty)
            plan.expect("reserved", source[:2] + (-ml.product_qty,) + source[3:], [])
        quantity = ml.product_uom_id._compute_quantity(
            ml.qty_done, ml.move_id.product_id.uom_id, rounding_method="HALF-UP")
        in_date = book.update_available(source[:2] + source[3:], -quantity)
        # available 0.0: the host then skips taking from untracked stock, of which the
        # plan made sure there is none
        plan.expect("available", source[:2] + (-quantity,) + source[3:],
                    (0.0, fields.Datetime.from_string(in_date)))
        kept = book.update_available(dest[:2] + dest[3:], quantity, in_date)
        plan.expect("available", dest[:2] + (quantity,) + dest[3:],
                    (quantity, fields.Datetime.from_string(kept)))

    def _quant_plan_lock(self, quant_ids):
        """Lock the quants as the host would before writing them; False when another
        transaction holds one (the host then works around it, quant by quant)."""
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute("SELECT id FROM stock_quant WHERE id = ANY(%s) "
                                    "FOR UPDATE NOWAIT", (quant_ids,), log_exceptions=False)
        except OperationalError as error:
            if error.pgcode == "55P03":
                return False
            raise
        return True

    def _quant_plan_write(self, book, emptied):
        """Write what ``book`` worked out, as the host's sudo writes would."""
        cr = self.env.cr
        updated, created, deleted = book.changes()
        for start in range(0, len(updated), ROWS_PER_STATEMENT):
            part = updated[start:start + ROWS_PER_STATEMENT]
            cr.execute(
                "UPDATE stock_quant q SET quantity = v.quantity, reserved_quantity = "
                "v.reserved, in_date = v.in_date, write_uid = %s, "
                "write_date = (now() at time zone 'UTC') FROM (VALUES "
                + ", ".join(["(%s::int, %s::float8, %s::float8, %s::timestamp)"] * len(part))
                + ") AS v(id, quantity, reserved, in_date) WHERE q.id = v.id",
                [SUPERUSER_ID] + [x for q in part
                                  for x in (q.id, q.quantity, q.reserved, q.in_date)])
        new_ids = []
        for start in range(0, len(created), ROWS_PER_STATEMENT):
            part = created[start:start + ROWS_PER_STATEMENT]
            cr.execute(
                "INSERT INTO stock_quant (product_id, company_id, location_id, lot_id, "
                "package_id, owner_id, quantity, reserved_quantity, in_date, create_uid, "
                "create_date, write_uid, write_date) "
                "SELECT v.product_id, loc.company_id, v.location_id, NULLIF(v.lot_id, 0), "
                "NULLIF(v.package_id, 0), NULLIF(v.owner_id, 0), v.quantity, 0, v.in_date, "
                "%s, (now() at time zone 'UTC'), %s, (now() at time zone 'UTC') FROM (VALUES "
                + ", ".join(["(%s::int, %s::int, %s::int, %s::int, %s::int, %s::int, "
                             "%s::float8, %s::timestamp)"] * len(part))
                + ") AS v(seq, product_id, location_id, lot_id, package_id, owner_id, "
                  "quantity, in_date) JOIN stock_location loc ON loc.id = v.location_id "
                  "ORDER BY v.seq RETURNING id",
                [SUPERUSER_ID, SUPERUSER_ID] + [
                    x for n, q in enumerate(part)
                    for x in ((n,) + q.key[:2] + q.key[2:] + (q.quantity, q.in_date))])
            new_ids.extend(sorted(row[0] for row in cr.fetchall()))
        emptied.update(q.id for q in deleted)
        Quant = self.env["stock.quant"].sudo()
        Quant.invalidate_cache()
        Quant.browse([q.id for q in updated]).modified(
            ["quantity", "reserved_quantity", "in_date"])
        Quant.browse(new_ids).modified(
            [name for name, field in Quant._fields.items() if field.store])

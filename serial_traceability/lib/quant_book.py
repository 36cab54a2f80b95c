# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The host's quant updates of a batch of done move lines, worked out in memory.

Odoo 11 moves stock line by line: for each done line, ``stock.quant``'s
``_update_reserved_quantity`` (unreserve at the source), ``_update_available_quantity``
(take at the source) and ``_update_available_quantity`` again (put at the
destination), each one search and one or two writes. A :class:`QuantBook` holds the
quants those lines touch and applies the same three steps to them, with the host's
rules step for step (which quants a step gathers and in which order, which one it
writes, the incoming date it keeps, when an emptied quant is deleted), so that the
rows can be written in a few statements afterwards (``stock_move_line_quant_plan.py``).

Pure Python: quantities are compared with the functions the caller passes (the
product unit's rounding), dates are ``YYYY-MM-DD HH:MM:SS`` strings as Odoo stores
them. A step the host would refuse or treat specially (not enough reserved, a serial
above one unit) raises :class:`NeedsHost`: the caller then leaves the lines to the host.
"""
import itertools

FIFO, LIFO = "fifo", "lifo"


class NeedsHost(Exception):
    """A step whose outcome is the host's to decide (an error, a special case)."""


class BookQuant(object):
    __slots__ = ("id", "key", "quantity", "reserved", "in_date", "written", "deleted",
                 "seq")

    def __init__(self, qid, key, quantity, reserved, in_date, seq):
        self.id = qid           # None for a quant the book creates
        self.key = key          # (product, location, lot, package, owner) ids, 0 for none
        self.quantity = quantity
        self.reserved = reserved
        self.in_date = in_date[:19] if in_date else None
        self.written = False
        self.deleted = False
        self.seq = seq          # the order of ids: existing quants first, new ones after


class QuantBook(object):
    """The quants of some keys and the host's steps on them.

    ``strategy(product, location)``: ``"fifo"`` or ``"lifo"`` (the host's removal
    strategy); ``now``: the incoming date of a quant with none; ``is_zero(product,
    value)`` and ``compare(product, a, b)``: the product unit's float rules;
    ``serial(product)``: True when the product is tracked by serial number.
    """

    def __init__(self, rows, strategy, now, is_zero, compare, serial):
        self.strategy, self.now = strategy, now[:19]
        self.is_zero, self.compare, self.serial = is_zero, compare, serial
        self._seq = itertools.count()
        self.quants = {}
        for qid, key, quantity, reserved, in_date in sorted(rows):
            self._add(BookQuant(qid, tuple(key), quantity, reserved, in_date,
                                (0, qid)))

    def _add(self, quant):
        self.quants.setdefault(quant.key, []).append(quant)
        return quant

    def gather(self, key):
        """The live quants of ``key`` in the host's removal order (``_gather``)."""
        live = [q for q in self.quants.get(key, ()) if not q.deleted]
        if self.strategy(key[0], key[1]) == LIFO:
            # in_date DESC NULLS LAST, id DESC
            return sorted(live, key=lambda q: (q.in_date is not None, q.in_date or "", q.seq),
                          reverse=True)
        # in_date ASC NULLS FIRST, id
        return sorted(live, key=lambda q: (q.in_date is not None, q.in_date or "", q.seq))

    def unreserve(self, key, quantity):
        """``_update_reserved_quantity(-quantity, strict=True)``."""
        product = key[0]
        quants = self.gather(key)
        available = sum(q.reserved for q in quants)
        if self.compare(product, quantity, available) > 0:
            raise NeedsHost("not that much reserved")  # the host retries untracked
        quantity = -quantity
        for quant in quants:
            taken = min(quant.reserved, abs(quantity))
            quant.reserved -= taken
            quant.written = True
            quantity += taken
            available += taken
            if self.is_zero(product, quantity) or self.is_zero(product, available):
                break

    def update_available(self, key, quantity, in_date=None):
        """``_update_available_quantity(quantity, in_date=in_date)``: the incoming date
        kept (the oldest of the quants' and ``in_date``), which the host hands on to
        the destination."""
        product = key[0]
        quants = self.gather(key)
        dates = [q.in_date for q in quants if q.in_date]
        if in_date:
            dates.append(in_date[:19])
        in_date = min(dates) if dates else self.now
        if quants:
            quant = quants[0]
            quant.quantity = quant.quantity + quantity
            quant.in_date = in_date
            quant.written = True
        else:
            quant = self._add(BookQuant(None, key, quantity, 0.0, in_date,
                                        (1, next(self._seq))))
        if key[2] and self.serial(product) and self.compare(product, quant.quantity, 1) > 0:
            raise NeedsHost("a serial number above one unit")  # the host's constraint
        if quants and self.is_zero(product, quant.quantity) and self.is_zero(
                product, quant.reserved):
            quant.deleted = True  # the host deletes a quant it emptied, not one it made
        return in_date

    def changes(self):
        """(updated, created, deleted): existing quants written and still there, new
        quants still there, existing quants emptied and deleted."""
        updated, created, deleted = [], [], []
        for quant in itertools.chain.from_iterable(self.quants.values()):
            if quant.id is None:
                if not quant.deleted:
                    created.append(quant)
            elif quant.deleted:
                deleted.append(quant)
            elif quant.written:
                updated.append(quant)
        created.sort(key=lambda q: q.seq)
        return updated, created, deleted

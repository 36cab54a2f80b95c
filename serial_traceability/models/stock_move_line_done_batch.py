# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Processing many operation lines of one move (issue 19, item 2).

The host's ``stock.move.line._action_done`` loops over the lines of a move, and
two things make each turn of that loop cost more the more lines the move has:

- every line read in the loop prefetches its fields for *all* the lines, and the
  writes of each turn (the quant, the lot, the line) invalidate some of them: the
  next turn reads all the lines again (a 1,000-serial delivery reads a million rows);
- emptying a quant (each serial shipped empties one) ``unlink``\\ s it, and Odoo's
  ``unlink`` drops the whole cache: the next turn reads everything again.

So the lines go to the host's own ``_action_done`` in slices of ``SLICE`` lines, each
with its own prefetch set; the quants of a slice are read once and written in a few
statements (``stock_move_line_quant_plan.py``), and the quants the batch empties are
deleted once, after the last slice (``stock_quant_batch.py``: until then they are left
out of every quant search, so nothing can see or reuse them). The host does the same
work in the same order; only what it reads and how it writes change.
the host's loop on all the lines at once, for tests and benchmarks.
"""
from odoo import models
from odoo.tools import float_compare

from .stock_move_line_entry import HOST_PATH_KEY
from .stock_move_line_quant_plan import PLAN_KEY
from .stock_quant_batch import QuantBatch, quant_batch

SLICE = 40
SLICE_KEY = "serial_done_slice"  # tests: small slices on small transfers


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _action_done(self):
        size = self.env.context.get(SLICE_KEY)
        size = size if isinstance(size, int) and size > 0 else SLICE
        if (self.env.context.get(HOST_PATH_KEY) or len(self) <= size
                or quant_batch(self)):
            return super(StockMoveLine, self)._action_done()
        # every line checked before any is processed, as the host's path does; each
        # slice checks its own lines again on the way
        self._serial_check_done_lines()
        self._serial_create_typed_lots()
        todo = self._done_batch_drop_empty()
        batch = QuantBatch()
        # stored fields that depend on the lines (their lots' warranty, ...) are
        # computed once for all the slices, at the end
        lines = self.with_context(serial_quant_batch=batch, recompute=False)
        for start in range(0, len(todo), size):
            part = lines.browse(todo.ids[start:start + size]).with_prefetch()
            plan = part._quant_plan(batch.emptied)
            if plan is None:
                super(StockMoveLine, part)._action_done()
                continue
            super(StockMoveLine, part.with_context(**{PLAN_KEY: plan}))._action_done()
            plan.check_done()
        batch.close(self.env["stock.quant"])
        self.recompute()

    def _done_batch_drop_empty(self):
        """The lines left once those with nothing done are deleted, as the host
        deletes them before moving anything (once here, not once per slice: each
        deletion recomputes the move's state from all its lines)."""
        signs = {ml: float_compare(ml.qty_done, 0, precision_rounding=ml.product_uom_id.rounding)
                 for ml in self}
        if any(sign < 0 for sign in signs.values()):
            return self  # the host refuses it: let it, in its order
        empty = self.browse([ml.id for ml, sign in signs.items() if sign == 0])
        if empty:
            empty.unlink()
        return self - empty

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reserving a serial-heavy transfer (issue 19, item 2).

The host's *Check availability* creates one operation line per reserved serial, and
each ``create`` recomputes, for that one line, every stored field that depends on
move lines (the line's state, its lot's warranty dates, ...) and checks the line's
constraint, which reads the state of every line created before it. So the moves are
reserved by the host's own ``_action_assign`` with two things deferred to its end:
the recomputation (one pass over all the new lines and their lots, as the ORM does
when ``recompute`` is off) and what ``stock_move_line_entry.py`` defers for a save of
many lines (each line's state stored at once, hold checks of alike lines once).
The lines of a serial-tracked move, which the host creates one ``create`` per serial
after reserving the quants, are collected instead and inserted in a few statements
(``stock_move_line_bulk_entry.py``), after the same checks as ``create``'s.
``serial_traceability_host_path=True`` runs the host's path, line by line.
"""
from odoo import api, models

from .stock_move_line_entry import ENTRY_KEY, HOST_PATH_KEY, LineEntry, line_entry

BUFFER_KEY = "serial_line_buffer"


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_assign(self):
        if (self.env.context.get(HOST_PATH_KEY) or line_entry(self)
                or not self.env.context.get("recompute", True)):
            return super(StockMove, self)._action_assign()
        entry = LineEntry()
        result = super(StockMove, self.with_context(
            **{ENTRY_KEY: entry, "recompute": False}))._action_assign()
        entry.open = False
        self.recompute()
        self.env["stock.move.line"].with_context(
            **{ENTRY_KEY: None})._line_entry_finish(entry)
        return result

    def _update_reserved_quantity(self, need, available_quantity, location_id, lot_id=None,
                                  package_id=None, owner_id=None, strict=True):
        entry = line_entry(self)
        MoveLine = self.env["stock.move.line"]
        if (entry is None or self.product_id.tracking != "serial"
                or not MoveLine._line_entry_create_is_known()):
            return super(StockMove, self)._update_reserved_quantity(
                need, available_quantity, location_id, lot_id=lot_id,
                package_id=package_id, owner_id=owner_id, strict=strict)
        rows = []
        taken = super(StockMove, self.with_context(**{BUFFER_KEY: rows}))._update_reserved_quantity(
            need, available_quantity, location_id, lot_id=lot_id, package_id=package_id,
            owner_id=owner_id, strict=strict)
        if rows:
            MoveLine._line_entry_check_holds(rows, entry)
            MoveLine._line_entry_bulk_create(rows, entry)
        return taken


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model
    def create(self, vals):
        rows = self.env.context.get(BUFFER_KEY)
        if isinstance(rows, list):
            # a serial's line reserved by the host: inserted with the move's others
            rows.append(dict(vals))
            return self.browse()
        return super(StockMoveLine, self).create(vals)

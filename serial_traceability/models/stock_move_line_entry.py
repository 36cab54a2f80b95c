# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Entering many operation lines in one save (issue 19, item 3).

The web client saves *Detailed operations* as one ``write`` of the transfer (or of
the move) with one ``(0, 0, vals)`` command per line, and Odoo 11 creates them one
``create`` at a time. Per line, the addon checked holds and did its unit fields and
audit snapshot, and the host's ``check_reserved_done_quantity`` constraint read the
new line's ``state``: a stored related field that, inside the one2many write (no
recompute until its end), is computed again for every line created so far, so the
save cost grew with the square of the lines (50 of the 65 s of 1,000 lines).

``line_entry_write`` runs such a save as one batch:

1. before anything is written, the hold check of every new line, with one read of
   the lots, moves and locations involved: the same ``UserError`` as line by line;
2. the host's one2many write, in a context carrying a :class:`LineEntry`; each
   ``create`` then skips the hold check already made for its (lot, move, destination),
   stores its line's ``state`` at once (the value the host's recompute would store at
   the end of the save) instead of leaving it on the host's to-do list, and hands its
   unit-field lots and audit targets to the entry;
   when nothing of the host's per-line ``create`` applies to the new lines (a
   transfer not done, no other module's ``create``), they are inserted in a few
   statements instead (``stock_move_line_bulk_entry.py``);
3. at the end, once: the unit fields of the lots recomputed, the audit entries of the
   lines logged in the order the lines were created.

A ``create`` outside such a write (or after its end) does all of it itself, as
before. ``serial_traceability_host_path=True`` in the context runs the line-by-line
path, for tests and benchmarks.
"""
from odoo import api, models

ENTRY_KEY = "serial_line_entry"
HOST_PATH_KEY = "serial_traceability_host_path"
LINE_FIELDS = ("move_line_ids", "move_line_nosuggest_ids")


class LineEntry(object):
    """What the creates of one save leave for its end. Only code of this process can
    put one in a context: an RPC context decodes to dicts, lists and scalars."""

    def __init__(self):
        self.open = True
        self.checked = set()    # hold_key()s whose check passed
        self.lot_ids = []       # lots of new done lines: unit fields to recompute
        self.audit_ids = []     # new lines to log in the audit trail, in order

    @staticmethod
    def hold_key(vals):
        """What the check of a new line reads: lines alike in it are checked once."""
        return (vals.get("lot_id") or False, vals.get("move_id") or False,
                vals.get("location_dest_id") or False, bool(vals.get("qty_done")))


def line_entry(records):
    """The open :class:`LineEntry` of ``records``' context, or None."""
    entry = records.env.context.get(ENTRY_KEY)
    return entry if isinstance(entry, LineEntry) and entry.open else None


def new_line_commands(vals):
    """The ``vals`` of the ``(0, 0, vals)`` commands in ``vals``' line fields."""
    return [cmd[2] for name in LINE_FIELDS for cmd in (vals.get(name) or ())
            if isinstance(cmd, (list, tuple)) and len(cmd) == 3 and cmd[0] == 0
            and isinstance(cmd[2], dict)]


def line_entry_write(records, vals, write):
    """``write(records, vals)`` (the caller's ``super().write``) as one batch when
    ``vals`` creates operation lines; see the module's docstring."""
    commands = new_line_commands(vals)
    if (not commands or records.env.context.get(HOST_PATH_KEY)
            or line_entry(records) or not records):
        return write(records, vals)
    if len(records) == 1:
        # what the host's one2many write sets on each line before its create
        inverse = "picking_id" if records._name == "stock.picking" else "move_id"
        for line_vals in commands:
            line_vals[inverse] = records.id
    entry = LineEntry()
    # the host's one2many write creates the lines without the caller's default_* keys
    MoveLine = records.env["stock.move.line"].with_env(records.env(context={
        key: val for key, val in records.env.context.items()
        if not key.startswith("default_")}))
    MoveLine._line_entry_check_holds(commands, entry)
    rows, rest = MoveLine._line_entry_bulk_split(records, vals, LINE_FIELDS)
    if rows:
        MoveLine.check_access_rights("create")  # refused before the transfer is written
    result = write(records.with_context(**{ENTRY_KEY: entry}), rest)
    if rows:
        MoveLine.with_context(**{ENTRY_KEY: entry})._line_entry_bulk_create(rows, entry)
    entry.open = False
    MoveLine.with_context(**{ENTRY_KEY: None})._line_entry_finish(entry)
    return result


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model
    def _line_entry_check_holds(self, commands, entry):
        """The check of ``create`` (``_serial_check_new_line``: holds, release) for
        every new line, before any is written, in the order of the lines (the first
        refused one raises); lines alike in what the check reads are checked once."""
        lot_ids = {vals["lot_id"] for vals in commands if vals.get("lot_id")}
        if not lot_ids:
            return
        # one read of the lots, moves and locations the checks ask about
        self.env["stock.production.lot"].sudo().browse(lot_ids).read(
            [name for name in ("quality_hold", "release_state", "product_id")
             if name in self.env["stock.production.lot"]._fields])
        self.env["stock.move"].browse(
            {vals["move_id"] for vals in commands if vals.get("move_id")}).mapped(
                "location_dest_id.usage")
        for vals in commands:
            key = LineEntry.hold_key(vals)
            if key[0] and key not in entry.checked:
                self._serial_check_new_line(vals)
                entry.checked.add(key)

    @api.model
    def create(self, vals):
        entry = line_entry(self)
        line = super(StockMoveLine, self).create(vals)
        if entry is not None:
            # the host left this line's state pending until the end of the save: the
            # next line's constraint would compute it again, with every line before it
            line._line_entry_store_state()
        return line

    def _line_entry_store_state(self):
        """Store the ``state`` of this new line now, as the host's recompute at the end
        of the save would (the same value, from the move), and take it off the
        to-do list."""
        field = self._fields["state"]
        if not self._recompute_check(field):
            return
        value = self.state  # computed for this line alone: the others are stored
        self.env.cr.execute("UPDATE stock_move_line SET state = %s WHERE id = %s",
                            (value or None, self.id))
        self._recompute_done(field)

    @api.model
    def _line_entry_finish(self, entry):
        """What the creates of ``entry`` left: unit fields and audit entries."""
        self.env["stock.production.lot"].browse(entry.lot_ids).exists()._recompute_unit_fields()
        targets = self.browse(entry.audit_ids).exists()
        names = self._audit_field_names()
        if targets and names:
            targets._audit_write_entries("create", {}, targets._audit_snapshot(names), names)

    def _hold_create_checked(self, vals):
        """True when the hold check of ``create(vals)`` already passed in this save."""
        entry = line_entry(self)
        return entry is not None and LineEntry.hold_key(vals) in entry.checked

    def _unit_create_deferred(self, line):
        """Leave the unit fields of a new done line to the end of the save."""
        entry = line_entry(self)
        if entry is None:
            return False
        entry.lot_ids.append(line.lot_id.id)
        return True

    def _audit_create_deferred(self, targets):
        entry = line_entry(self)
        if entry is None:
            return False
        entry.audit_ids.extend(targets.ids)
        return True

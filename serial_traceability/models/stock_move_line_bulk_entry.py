# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The new lines of a batched save (``stock_move_line_entry.py``) inserted in a few
statements, when nothing the host's ``create`` does per line applies to them.

What ``create`` does for a line of a transfer that is not done, step by step as in
Odoo 11's ``BaseModel.create``/``_create`` and ``stock.move.line.create``: the
defaults (``_add_missing_default_values``; without the caller's ``default_*`` keys,
which the host's one2many write drops), ``ordered_qty`` from ``product_uom_qty``, the
selection values checked, one INSERT with the log columns, ``modified`` of every
field, the constraints of the fields given, the stored computed fields, the record
rules. Here the INSERT takes 1,000 lines, with each line's ``state`` (its move's, the
value the host's recompute stores at the end of the save), and the rest runs once for
all of them, the inserted values in the cache. What the addon's own ``create``
overrides do per line is done elsewhere or has nothing to do: the hold check was made
before any write, and a line of a move that is not done has no unit fields, no audit
entry and no effect on its lot's warranty (whose recompute is skipped).

Only when no other module overrides ``stock.move.line.create``, every line belongs
to a move or transfer that is not done, the save's commands on the lines are
creations, updates and links (no deletion, no replacement), and each line gives
stored columns only (or fields the ORM ignores); otherwise the lines are created
one by one, still batched.
"""
from psycopg2.extras import execute_values

from odoo import api, models
from odoo.models import MAGIC_COLUMNS

CHUNK = 1000
# the modules whose create() of stock.move.line this insert reproduces: any other
# (another module's, or a new one of this addon's) sends the lines one by one
KNOWN_CREATE_MODULES = frozenset([
    "odoo.models", "odoo.addons.stock.models.stock_move_line",
    "odoo.addons.serial_traceability.models.serial_audited_mixin",
    "odoo.addons.serial_traceability.models.stock_move_line_hold",
    "odoo.addons.serial_traceability.models.stock_move_line_unit",
    "odoo.addons.serial_traceability.models.stock_move_line_entry",
    "odoo.addons.serial_traceability.models.stock_move_assign_batch"])


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model
    def _line_entry_create_is_known(self):
        for cls in type(self).__mro__:
            if "create" in vars(cls) and cls.__module__ not in KNOWN_CREATE_MODULES:
                return False
        return True

    @api.model
    def _line_entry_bulk_split(self, records, vals, line_fields):
        """(rows, rest): the new lines to insert in bulk (with their inverse field
        set) and what ``write`` still does; rows is empty when they cannot be."""
        if len(records) != 1 or records._name not in ("stock.picking", "stock.move") \
                or not self._line_entry_create_is_known():
            return [], vals
        inverse = "picking_id" if records._name == "stock.picking" else "move_id"
        rows, rest = [], dict(vals)
        for name in line_fields:
            kept = []
            for cmd in vals.get(name) or ():
                if not isinstance(cmd, (list, tuple)) or cmd[0] not in (0, 1, 4):
                    return [], vals
                if cmd[0] == 0:
                    rows.append(dict(cmd[2], **{inverse: records.id}))
                else:
                    kept.append(cmd)
            if name in vals:
                rest[name] = kept
        for row in rows:
            for key in row:
                field = self._fields.get(key)
                if field and (field.inverse or field.inherited or (
                        field.store and (field.compute or not field.column_type))):
                    return [], vals
        moves = self.env["stock.move"].browse({r["move_id"] for r in rows if r.get("move_id")})
        pickings = self.env["stock.picking"].browse(
            {r["picking_id"] for r in rows if r.get("picking_id") and not r.get("move_id")})
        if "done" in moves.mapped("state") or "done" in pickings.mapped("state"):
            return [], vals
        return rows, rest

    @api.model
    def _line_entry_bulk_create(self, rows, entry):
        """Insert ``rows`` as ``create`` would, one statement per 1,000 lines."""
        self.check_access_rights("create")
        rows = [self._line_entry_row(row) for row in rows]
        columns = sorted(set().union(*rows))
        # a line's state is its move's (a stored related field): stored with the row,
        # the value the recompute at the end of the host's save would write
        moves = self.env["stock.move"].sudo().browse(
            {row["move_id"] for row in rows if row.get("move_id")})
        move_states = {move.id: move.state for move in moves}
        states = [move_states.get(row.get("move_id")) or None for row in rows]
        values = [[self._fields[n].convert_to_column(row[n], self, row) if n in row else None
                   for n in columns] + [state] for row, state in zip(rows, states)]
        sql = 'INSERT INTO "%s" (%s, state, create_uid, write_uid, create_date, write_date) ' \
              'VALUES %%s RETURNING id' % (self._table, ", ".join('"%s"' % n for n in columns))
        template = ("(%s, %%s, {uid}, {uid}, now() at time zone 'UTC', now() at time zone 'UTC')"
                    % ", ".join(["%s"] * len(columns))).format(uid=int(self._uid))
        ids = []
        for start in range(0, len(values), CHUNK):
            result = execute_values(self.env.cr, sql, values[start:start + CHUNK],
                                    template=template, page_size=CHUNK, fetch=True)
            ids.extend(row[0] for row in result)
        lines = self.browse(ids)
        # with their inverses: the transfer's, the move's, the lot's lines read before
        self.invalidate_cache(columns + ["state"])
        Lot = self.env["stock.production.lot"]
        warranty = Lot._fields.get("warranty_start")
        pending = self._line_entry_todo_ids(warranty)
        lines.modified(self._fields)
        # a warranty starts with a done delivery: these lines, of moves not done,
        # leave every lot's as it is (the ORM marks them all the same)
        if warranty and "done" not in states:
            self.env.remove_todo(warranty, Lot.browse(
                self._line_entry_todo_ids(warranty) - pending))
        state = self._fields["state"]
        self.env.remove_todo(state, lines)
        # the rows just inserted, in the cache: the constraints and computes that
        # follow read them from there instead of reading 1,000 lines back
        stored = [name for name, field in self._fields.items()
                  if field.store and field.column_type and not field.compute
                  and name not in MAGIC_COLUMNS]
        for line, row, value in zip(lines, rows, states):
            cached = {name: row.get(name) or False for name in stored}
            cached["state"] = value or False
            line._cache.update(line._convert_to_cache(cached, validate=False))
        by_keys = {}
        for line, row in zip(lines, rows):
            by_keys.setdefault(frozenset(row), []).append(line.id)
        for keys, line_ids in by_keys.items():
            self.browse(line_ids)._validate_fields(keys)
        if self.env.recompute and self._context.get("recompute", True):
            self.recompute()
        lines.check_access_rule("create")
        targets = lines._audit_targets() if self._audit_field_names() else self.browse()
        entry.audit_ids.extend(targets.ids)
        return lines

    def _line_entry_todo_ids(self, field):
        """Ids of the records whose ``field`` the ORM is to recompute."""
        if not field:
            return set()
        return set().union(*[recs.ids for recs in self.env.all.todo.get(field, [])])

    @api.model
    def _line_entry_row(self, vals):
        """The stored values ``create(vals)`` inserts for one line."""
        vals = dict(vals)
        vals["ordered_qty"] = vals.get("product_uom_qty")  # stock.move.line.create
        vals = self._add_missing_default_values(vals)
        for name in ["parent_left", "parent_right"] + list(MAGIC_COLUMNS):
            vals.pop(name, None)
        row = {}
        for key, val in vals.items():
            field = self._fields.get(key)
            if field and field.store and field.column_type:
                if hasattr(field, "selection") and val:
                    self._check_selection_field_value(key, val)
                row[key] = val
        return row

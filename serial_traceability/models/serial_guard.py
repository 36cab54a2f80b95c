# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The one marker for writes that only the addon's own methods may make.

A control (a quality hold and its release, an approval, opening and closing a recall,
a recovered unit) changes a record in exactly one method, which checks who acts and
leaves the audit entry. ``write``/``create``/``unlink`` refuse the fields of such a
change to everyone else, administrator included, whatever the context, unless the
environment carries this module's marker.

Why an object compared by identity, and not a flag: an RPC client sends the context
as JSON or XML-RPC, which decode to dicts, lists, strings, numbers, booleans and
None. It can give any key any such value (issue 14: ``serial_hold_change=True``
lifted a hold), but it can never produce ``_TOKEN``, an object made when this module
was imported: ``context.get(GUARD_KEY) is _TOKEN`` holds only for an environment
that code running in this process made with :func:`guarded`. Nothing compares equal
to it but itself, and it cannot be pickled into or out of a request.

Use it on one call only (``guarded(records).write(vals)``): a recordset kept from a
guarded environment would carry the marker into whatever is done with it next.
"""
from odoo import _
from odoo.exceptions import UserError

GUARD_KEY = "serial_guard"


class _Token(object):
    """Identity is the whole point: no equality, no copy, no pickle."""

    __slots__ = ()

    def __repr__(self):
        return "<serial_traceability guard>"

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        raise TypeError("the serial_traceability guard cannot leave the process")


_TOKEN = _Token()


def guarded(records):
    """``records`` in an environment whose guarded writes are allowed."""
    return records.with_context(**{GUARD_KEY: _TOKEN})


def is_guarded(records):
    return records.env.context.get(GUARD_KEY) is _TOKEN


def is_chatter_field(name):
    """Chatter, followers and activities stay usable on closed records."""
    return name.startswith(("message_", "activity_")) or name == "website_message_ids"


def refuse_unguarded(records, vals, fnames, message):
    """Raise ``UserError(message)`` when ``vals`` sets one of ``fnames`` and the
    call does not come from a guarded method."""
    if not is_guarded(records) and set(vals) & set(fnames):
        raise UserError(message)


def refuse_set(vals, fnames, message, allowed=()):
    """Raise ``UserError(message)`` when ``vals`` gives one of ``fnames`` a value
    that is neither empty nor in ``allowed`` (for ``create``: a new record starts
    without a hold, unapproved, in draft)."""
    if any(vals.get(name) and vals[name] not in allowed for name in fnames):
        raise UserError(message)


def refuse_computed(records, vals, fnames):
    """Columns derived by the addon (SQL or stored computes) are never written by
    hand: the recompute does not go through ``write``, so no one needs to."""
    given = sorted(set(vals) & set(fnames))
    if given:
        labels = [records._fields[name].string for name in given]
        raise UserError(_("%(fields)s of %(model)s come from the stock moves and quality "
                          "events; they cannot be edited.")
                        % {"fields": ", ".join(labels), "model": records._description})

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Forging the audit trail the way its table owner can, for the tests.

The owner of a table (the ``odoo`` role, superuser or not) may disable its user
triggers with ``ALTER TABLE ... DISABLE TRIGGER USER`` and then write any row; no
superuser right (``session_replication_role``) is used here. Each forgery runs in
the test's transaction, which the test framework rolls back.
"""
import contextlib
import importlib.util
import os

from ..lib import hashchain
from ..sql import audit_trail as audit_sql

VERIFIER = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "docs", "verify_audit_chain.py")


TOGGLE = {table: ("ALTER TABLE %s DISABLE TRIGGER USER" % table,
                  "ALTER TABLE %s ENABLE TRIGGER USER" % table)
          for table in audit_sql.PROTECTED_TABLES}


def independent_verifier():
    """docs/verify_audit_chain.py as a module (it imports neither Odoo nor the addon)."""
    spec = importlib.util.spec_from_file_location("verify_audit_chain", VERIFIER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Forger(object):
    """Plain SQL on the trail's tables with their triggers off."""

    def __init__(self, cr):
        self.cr = cr

    @contextlib.contextmanager
    def triggers_off(self, table="serial_audit_entry"):
        disable, enable = TOGGLE[table]
        self.cr.execute(disable)
        try:
            yield
        finally:
            self.cr.execute(enable)

    def head(self):
        self.cr.execute(audit_sql.COMMITTED_HEAD)
        return self.cr.fetchone()

    def row(self, sequence):
        """The stored row as ``stream_rows`` gives it."""
        self.cr.execute(audit_sql.STREAM, {"after": sequence - 1, "limit": 1})
        rows = self.cr.fetchall()
        return next(audit_sql.stream_rows(lambda after, limit: rows, page_size=2))

    def documented_hash(self, sequence, prev_hash):
        """The entry's hash recomputed with the documented algorithm (lib/hashchain)."""
        _row_id, values, _prev, _hash = self.row(sequence)
        return hashchain.entry_hash(prev_hash, audit_sql.hashed_content(values))

    def set_payload(self, sequence, new_value):
        with self.triggers_off():
            self.cr.execute("UPDATE serial_audit_entry SET new_value = %s WHERE sequence = %s",
                            (new_value, sequence))

    def recompute_hash(self, sequence):
        """The entry's own hash made to match its (altered) content."""
        _row_id, _values, prev_hash, _hash = self.row(sequence)
        with self.triggers_off():
            self.cr.execute("UPDATE serial_audit_entry SET hash = %s WHERE sequence = %s",
                            (self.documented_hash(sequence, prev_hash), sequence))

    def delete(self, condition, params):
        with self.triggers_off():
            self.cr.execute("DELETE FROM serial_audit_entry WHERE " + condition, params)

    def swap(self, first, second):
        """Exchange the numbers of two entries (their content stays as it was)."""
        with self.triggers_off():
            for old, new in ((first, -1), (second, first), (-1, second)):
                self.cr.execute("UPDATE serial_audit_entry SET sequence = %s "
                                "WHERE sequence = %s", (new, old))

    def rehash_from(self, sequence):
        """Relink and rehash every entry from ``sequence`` to the head, as someone
        who altered ``sequence`` and wants the chain to verify again."""
        _row_id, _values, prev_hash, _hash = self.row(sequence)
        last = self.head()[0]
        with self.triggers_off():
            for number in range(sequence, last + 1):
                digest = self.documented_hash(number, prev_hash)
                self.cr.execute("UPDATE serial_audit_entry SET prev_hash = %s, hash = %s "
                                "WHERE sequence = %s", (prev_hash, digest, number))
                prev_hash = digest

    def copy_last_as_new(self, prev_hash=None, sequence=None):
        """INSERT a copy of the head entry as the next one, its link and hash
        computed with the documented algorithm; the caller decides whether the
        triggers are on."""
        head_sequence, head_hash = self.head()
        _row_id, values, _prev, _hash = self.row(head_sequence)
        values = dict(values, sequence=sequence or head_sequence + 1, res_name="forged")
        prev_hash = prev_hash or head_hash
        digest = hashchain.entry_hash(prev_hash, audit_sql.hashed_content(values))
        columns = audit_sql.CONTENT_COLUMNS + ("prev_hash", "hash")
        row = tuple(values[c] for c in audit_sql.CONTENT_COLUMNS) + (prev_hash, digest)
        self.cr.execute("INSERT INTO serial_audit_entry (%s) VALUES %%s RETURNING id"
                        % ", ".join('"%s"' % c for c in columns), (row,))
        return self.cr.fetchone()[0]

    def forge_stored_heads(self):
        """Make every stored verification head agree with the trail as it is now."""
        with self.triggers_off("serial_audit_verify"):
            self.cr.execute("""
                UPDATE serial_audit_verify v SET head_hash = e.hash
                  FROM serial_audit_entry e WHERE e.sequence = v.head_sequence""")
            self.cr.execute("""
                UPDATE serial_audit_verify SET (head_sequence, head_hash) = (
                    SELECT sequence, hash FROM serial_audit_entry
                     ORDER BY sequence DESC LIMIT 1)
                 WHERE head_sequence > (SELECT max(sequence) FROM serial_audit_entry)""")

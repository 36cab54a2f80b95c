"""SQL text and entry building of the tamper-evident audit trail, host-free.

One entry per audited action on one record: ``field`` lists the changed fields
(comma-separated, sorted) and ``old_value``/``new_value`` hold JSON objects
``{field: value}``. One row per record rather than per field keeps a 1,000-line
delivery at 1,000 rows and one INSERT; the JSON keeps every prior value visible
(Part 11 §11.10(e)) and exports as text.

Appending (``_log`` in ``models/serial_audit_entry.py``) is three statements:

1. ``LOCK``: ``pg_advisory_xact_lock(LOCK_KEY)``, held to the end of the
   transaction, so two writers never read the same head;
2. ``HEAD``: the database clock and the current head, read *after* the lock;
3. ``insert_sql(n)``: one multi-row INSERT of the entries chained in Python by
   ``build_entries`` (``lib/hashchain.py``, so the hash is the documented one).

Odoo runs transactions in REPEATABLE READ, whose snapshot predates the lock: a
writer that waited for the lock still sees the old head. So on its first append a
transaction also reads ``COMMITTED_HEAD`` on a separate connection (a fresh
snapshot; nobody can append between that read and its commit, it holds the lock).
Why ``ON CONFLICT DO NOTHING`` all the same: should a stale head ever be used, the
entry collides (unique sequence and prev_hash) with the committed one, a row the
snapshot cannot see, which PostgreSQL reports as a serialization failure (40001)
that Odoo retries with a fresh snapshot; the chain never forks. A visible conflict
means someone inserted without the lock: the caller sees fewer rows than it sent
and refuses.

Every statement takes parameters only; table and trigger names are constants.
"""
import json

from ..lib import hashchain

TABLE = "serial_audit_entry"

# "ST_AUDIT" in ASCII: a fixed key no other lock in this database uses.
LOCK_KEY = 0x53545F4155444954

LOCK = "SELECT pg_advisory_xact_lock(%(key)s)"

HEAD = """
    SELECT clock_timestamp() AT TIME ZONE 'UTC', h.sequence, h.hash
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (SELECT sequence, hash FROM serial_audit_entry
                          ORDER BY sequence DESC LIMIT 1) h ON TRUE
"""

# The same head on another connection: committed rows, fresh snapshot.
COMMITTED_HEAD = "SELECT sequence, hash FROM serial_audit_entry ORDER BY sequence DESC LIMIT 1"

# The hashed content of an entry, in this order in the table and in
# ``build_entries``; ``prev_hash`` and ``hash`` follow.
CONTENT_COLUMNS = (
    "sequence", "res_model", "res_id", "res_name", "action", "field", "old_value",
    "new_value", "user_id", "user_name", "company_id", "timestamp", "reason",
)
INSERT_COLUMNS = CONTENT_COLUMNS + ("prev_hash", "hash")

# Rows per INSERT statement; a bigger batch is several statements under one lock.
INSERT_BATCH = 1000


def insert_sql(count):
    """One INSERT of ``count`` rows, each passed as one tuple parameter."""
    if not isinstance(count, int) or count < 1:
        raise ValueError("count must be a positive int, not %r" % (count,))
    return "INSERT INTO serial_audit_entry (%s) VALUES %s ON CONFLICT DO NOTHING RETURNING id" % (
        ", ".join(INSERT_COLUMNS), ", ".join(["%s"] * count))


def changes_json(values):
    """Stable JSON text of ``{field: value}`` (values already JSON-able)."""
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def build_entries(prev_hash, first_sequence, timestamp, contents):
    """Chain ``contents`` (dicts with the CONTENT_COLUMNS but sequence and timestamp).

    Returns ``(rows, last_hash)``: ``rows`` are tuples in INSERT_COLUMNS order. Every
    entry of one append shares the database timestamp read under the lock.
    """
    rows = []
    sequence = first_sequence
    for content in contents:
        entry = dict(content, sequence=sequence, timestamp=timestamp)
        missing = set(CONTENT_COLUMNS) - set(entry)
        extra = set(entry) - set(CONTENT_COLUMNS)
        if missing or extra:
            raise ValueError("audit entry columns mismatch: missing %s, unexpected %s"
                             % (sorted(missing), sorted(extra)))
        digest = hashchain.entry_hash(prev_hash, entry)
        rows.append(tuple(entry[c] for c in CONTENT_COLUMNS) + (prev_hash, digest))
        prev_hash = digest
        sequence += 1
    return rows, prev_hash


# Keyset pages in chain order, so verification holds one page at a time.
STREAM = """
    SELECT id, %s, prev_hash, hash FROM serial_audit_entry
     WHERE sequence > %%(after)s ORDER BY sequence LIMIT %%(limit)s
""" % ", ".join(CONTENT_COLUMNS)


def stream_entries(fetch_page, page_size=2000):
    """Yield ``(row_id, sequence, (entry_dict, prev_hash, hash))`` in chain order.

    ``fetch_page(after_sequence, limit)`` runs STREAM and returns its rows.
    """
    after = -(2 ** 63)
    while True:
        rows = fetch_page(after, page_size)
        for row in rows:
            entry = dict(zip(CONTENT_COLUMNS, row[1:1 + len(CONTENT_COLUMNS)]))
            yield row[0], entry["sequence"], (entry, row[-2], row[-1])
        if len(rows) < page_size:
            return
        after = rows[-1][1]


# Append-only, enforced by the database for every client, ORM or not. A table owner
# can still disable the triggers; the hash chain is what catches that.
PROTECT_FUNCTION = """
CREATE OR REPLACE FUNCTION serial_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% on % refused: the table is append-only (tamper-evident audit trail)',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql
"""


def protect_sql(table):
    """Triggers refusing UPDATE, DELETE and TRUNCATE on ``table`` (a constant name)."""
    if table not in PROTECTED_TABLES:
        raise ValueError("not an append-only table: %r" % (table,))
    return """
DROP TRIGGER IF EXISTS {t}_no_change ON {t};
CREATE TRIGGER {t}_no_change BEFORE UPDATE OR DELETE ON {t}
    FOR EACH ROW EXECUTE PROCEDURE serial_audit_append_only();
DROP TRIGGER IF EXISTS {t}_no_truncate ON {t};
CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t}
    FOR EACH STATEMENT EXECUTE PROCEDURE serial_audit_append_only();
""".format(t=table)


PROTECTED_TABLES = ("serial_audit_entry", "serial_signature")

"""SQL text and hashed content of the tamper-evident audit trail, host-free.

One entry per audited action on one record: ``field`` lists the changed fields
(comma-separated, sorted) and ``old_value``/``new_value`` hold JSON objects
``{field: value}``. One row per record rather than per field keeps a 1,000-line
delivery at 1,000 rows; the JSON keeps every prior value visible (Part 11
§11.10(e)) and exports as text.

Appending (``_log_rows`` in ``models/serial_audit_entry.py``):

1. ``LOCK``: ``pg_advisory_xact_lock(LOCK_KEY)``, held to the end of the
   transaction, so two writers never read the same head;
2. on a transaction's first append, ``COMMITTED_HEAD`` on a separate connection:
   Odoo runs REPEATABLE READ, whose snapshot predates the lock, so a writer that
   waited for it would still see the old head (nobody can append between that read
   and its commit: it holds the lock);
3. ``APPEND``: the database function ``serial_audit_append`` (``sql/audit_append.py``)
   reads the clock and the head, numbers, chains and hashes the entries in SQL and
   inserts them. A BEFORE INSERT trigger refuses any row that does not come from
   that function or does not follow the head (number, previous hash, hash).

The hashed serialization (docs/audit-trail.md gives it in full, and
docs/verify_audit_chain.py recomputes it without this package):
``hash = sha256(prev_hash + "\\n" + canonical(content))``, ``canonical`` being
``lib/hashchain.canonical`` of the content columns. Two formats exist, told apart by
the stored ``hash_format``:

* 2 (every entry appended by this code): CONTENT_COLUMNS, ``hash_format`` included,
  the timestamp as ``{"$datetime": "YYYY-MM-DDTHH:MM:SS.ffffffZ"}``;
* empty (entries appended before format 2 existed): CONTENT_COLUMNS_V1, the
  timestamp as the *string* PostgreSQL printed for it (ISO DateStyle, fraction
  without trailing zeros), which is what the old code hashed. Those rows are kept
  as they are: rehashing them would be the very rewrite the trail must expose.

Every statement takes parameters only; table and function names are constants.
"""
import datetime
import json

from ..lib import hashchain

TABLE = "serial_audit_entry"
HASH_FORMAT = 2

# "ST_AUDIT" in ASCII: a fixed key no other lock in this database uses.
LOCK_KEY = 0x53545F4155444954

LOCK = "SELECT pg_advisory_xact_lock(%(key)s)"

# The head as committed, read on another connection (fresh snapshot).
COMMITTED_HEAD = "SELECT sequence, hash FROM serial_audit_entry ORDER BY sequence DESC LIMIT 1"

CURRENT_HEAD = """
    SELECT sequence, hash, to_char("timestamp", 'YYYY-MM-DD"T"HH24:MI:SS.US')
      FROM serial_audit_entry ORDER BY sequence DESC LIMIT 1
"""

# The hashed content of an entry of format 1 and of format 2; ``prev_hash`` and
# ``hash`` are stored next to it.
CONTENT_COLUMNS_V1 = (
    "sequence", "res_model", "res_id", "res_name", "action", "field", "old_value",
    "new_value", "user_id", "user_name", "company_id", "timestamp", "reason",
)
CONTENT_COLUMNS = CONTENT_COLUMNS_V1 + ("hash_format",)
INT_COLUMNS = ("sequence", "res_id", "user_id", "company_id", "hash_format")

# What the caller gives per entry; the database sets the rest.
ROW_COLUMNS = ("res_model", "res_id", "res_name", "action", "field", "old_value",
               "new_value", "user_id", "user_name", "company_id", "reason")

# Entries per call of the append function.
INSERT_BATCH = 1000

APPEND = "SELECT serial_audit_append(%(head_sequence)s, %(head_hash)s, %(rows)s)"

# Timestamps leave the database as this text: the same bytes whatever the client's
# type conversion (Odoo returns timestamps as text, psycopg2 alone as datetime).
TIMESTAMP_SQL_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.US'
_TIMESTAMP_PY_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"


def changes_json(values):
    """Stable JSON text of ``{field: value}`` (values already JSON-able)."""
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def append_rows_json(contents):
    """The JSON array ``serial_audit_append`` takes: one object per entry with exactly
    the ROW_COLUMNS, values str or int as the column says, or None (False, Odoo's
    empty value, counts as None)."""
    rows = []
    for content in contents:
        missing = set(ROW_COLUMNS) - set(content)
        extra = set(content) - set(ROW_COLUMNS)
        if missing or extra:
            raise ValueError("audit entry columns mismatch: missing %s, unexpected %s"
                             % (sorted(missing), sorted(extra)))
        row = {c: None if content[c] is False else content[c] for c in ROW_COLUMNS}
        for column, value in row.items():
            expected = int if column in INT_COLUMNS else str
            if value is not None and (type(value) is bool or not isinstance(value, expected)):
                raise ValueError("audit entry column %s must be %s or None, not %r"
                                 % (column, expected.__name__, value))
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False)


def parse_timestamp(text):
    """The datetime of a timestamp selected with TIMESTAMP_SQL_FORMAT."""
    return datetime.datetime.strptime(text, _TIMESTAMP_PY_FORMAT)


def legacy_timestamp_text(value):
    """What format 1 hashed: PostgreSQL's ISO output of a ``timestamp``, e.g.
    ``2026-03-01 12:00:00.1`` (fraction without trailing zeros, none when zero)."""
    text = "%04d-%02d-%02d %02d:%02d:%02d" % (value.year, value.month, value.day,
                                              value.hour, value.minute, value.second)
    if value.microsecond:
        text += (".%06d" % value.microsecond).rstrip("0")
    return text


def hashed_content(row):
    """The dict ``hashchain.entry_hash`` hashes for a stored row (a dict with the
    CONTENT_COLUMNS, ``timestamp`` a datetime). Raises ValueError on an unknown format."""
    fmt = row.get("hash_format")
    if fmt is None:
        content = {c: row[c] for c in CONTENT_COLUMNS_V1}
        content["timestamp"] = legacy_timestamp_text(row["timestamp"])
        return content
    if fmt == HASH_FORMAT:
        return {c: row[c] for c in CONTENT_COLUMNS}
    raise ValueError("unknown audit hash format %r" % (fmt,))


# Keyset pages in chain order, so verification holds one page at a time.
STREAM = """
    SELECT id, %s, prev_hash, hash FROM serial_audit_entry
     WHERE sequence > %%(after)s ORDER BY sequence LIMIT %%(limit)s
""" % ", ".join(
    "to_char(\"timestamp\", '%s')" % TIMESTAMP_SQL_FORMAT if c == "timestamp" else c
    for c in CONTENT_COLUMNS)


def stream_rows(fetch_page, page_size=2000):
    """Yield ``(row_id, row_dict, prev_hash, hash)`` in chain order; ``row_dict`` has the
    CONTENT_COLUMNS with ``timestamp`` a datetime. ``fetch_page(after_sequence,
    limit)`` runs STREAM and returns its rows."""
    after = -(2 ** 63)
    width = len(CONTENT_COLUMNS)
    while True:
        rows = fetch_page(after, page_size)
        for row in rows:
            values = dict(zip(CONTENT_COLUMNS, row[1:1 + width]))
            values["timestamp"] = parse_timestamp(values["timestamp"])
            yield row[0], values, row[-2], row[-1]
        if len(rows) < page_size:
            return
        after = rows[-1][1]


def verify_rows(rows):
    """Check the chain of ``stream_rows`` output.

    Returns ``{ok, count, kind, index, row_id, sequence, head}``: ``kind`` is None,
    "format" (an unknown format, or the old one after format 2 began: the insert
    trigger lets neither through), "link", "content" or "number" (linked and hashed
    right, but not numbered one more than the entry before: the append function
    never leaves a gap), checked in that order; ``head`` is ``(sequence, hash,
    timestamp)`` of the last entry that passed.
    """
    state = {"count": 0, "head": None, "row_id": None, "sequence": None, "stop": None}

    def triples():
        newest = None
        for row_id, values, prev_hash, digest in rows:
            fmt = values["hash_format"]
            state.update(row_id=row_id, sequence=values["sequence"])
            if fmt not in (None, HASH_FORMAT) or (newest == HASH_FORMAT and fmt is None):
                state["stop"] = "format"
                return
            newest = fmt
            yield hashed_content(values), prev_hash, digest
            # resumed: this entry's link and hash were right
            if values["sequence"] != state["count"] + 1:
                state["stop"] = "number"
                return
            state["count"] += 1
            state["head"] = (values["sequence"], digest, values["timestamp"])

    ok, index, reason = hashchain.verify_chain(triples())
    result = {"ok": ok, "count": state["count"], "kind": None, "index": index,
              "row_id": None, "sequence": None, "head": state["head"]}
    if state["stop"]:
        result.update(ok=False, kind=state["stop"], index=state["count"])
    elif not ok:
        result["kind"] = "link" if reason.startswith("broken link") else "content"
    if not result["ok"]:
        result.update(row_id=state["row_id"], sequence=state["sequence"])
    return result


# Heads earlier verification runs saw that the trail no longer has: the entry of that
# number is gone (truncated) or has another hash (rewritten). Earliest number first.
CHANGED_HEADS = """
    SELECT v.id, v.head_sequence, v.head_hash, e.hash
      FROM serial_audit_verify v
      LEFT JOIN serial_audit_entry e ON e.sequence = v.head_sequence
     WHERE v.head_sequence > 0 AND e.hash IS DISTINCT FROM v.head_hash
     ORDER BY v.head_sequence, v.id
     LIMIT 1
"""

LAST_RUN_WITH_HEAD = """
    SELECT id FROM serial_audit_verify WHERE head_sequence > 0 ORDER BY id DESC LIMIT 1
"""

ENTRY_HASH = "SELECT hash FROM serial_audit_entry WHERE sequence = %(sequence)s"


# Append-only, enforced by the database for every client, ORM or not. A table owner
# can still disable the triggers; the hash chain, the stored heads and the anchors
# are what catch that.
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


PROTECTED_TABLES = ("serial_audit_entry", "serial_signature", "serial_audit_verify")

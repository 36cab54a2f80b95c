"""The database side of appending to the audit trail, host-free.

``serial_audit_append(head_sequence, head_hash, rows json)`` is the only way an entry
gets in: under the advisory lock it reads the clock and the head, numbers the rows,
chains them and hashes them, then inserts them one by one. The BEFORE INSERT trigger
``serial_audit_entry_append_guard`` refuses every row that

* was not inserted by that function (its call stack, ``PG_CONTEXT``, must end in
  it: a client cannot fake a call stack the way it can set a session variable);
* is not of hash format 2 or whose ``hash`` is not the hash of its content (the
  function leaves ``hash`` empty and the trigger fills it: one hashing per row);
* does not follow the head: number = last + 1 and ``prev_hash`` = last hash. Under
  REPEATABLE READ the last committed entry may be newer than the transaction's
  snapshot (it waited for the lock); the caller then passes the committed head it
  read on a fresh connection, and a row above the visible head is let through. The
  unique ``sequence`` and ``prev_hash`` keep the chain from forking whatever head is
  used, and verification checks every link. Under READ COMMITTED (psql, scripts) the
  snapshot is fresh, so there the predecessor must be visible.

Why the hash can be computed in SQL at all: every hashed column is an int, a text or
the timestamp, and PostgreSQL's ``to_json(text)`` escapes exactly as Python's
``json.dumps(ensure_ascii=False)`` does (``\\" \\\\ \\b \\f \\n \\r \\t``, other
control characters as lowercase ``\\u00XX``, everything else as is). The canonical text
below is generated from ``audit_sql.CONTENT_COLUMNS`` in Python's key order, and
tests compare it with ``lib/hashchain.canonical`` on stored rows and odd strings.
"""
from ..lib import hashchain
from . import audit_trail as audit_sql

_TIMESTAMP_JSON = ("'{\"$datetime\":\"' || to_char(e.\"timestamp\", '%s') || 'Z\"}'"
                   % audit_sql.TIMESTAMP_SQL_FORMAT)


def _json_sql(column):
    """SQL giving the canonical JSON of ``e.<column>`` (e a serial_audit_entry row)."""
    if column == "timestamp":
        return _TIMESTAMP_JSON
    if column in audit_sql.INT_COLUMNS:
        return "coalesce(e.%s::text, 'null')" % column
    return "coalesce(to_json(e.%s)::text, 'null')" % column


CANONICAL_SQL = "'{' || %s || '}'" % " || ',' || ".join(
    "'\"%s\":' || %s" % (column, _json_sql(column))
    for column in sorted(audit_sql.CONTENT_COLUMNS))

_INSERT_COLUMNS = audit_sql.CONTENT_COLUMNS + ("prev_hash", "hash")

FUNCTIONS = (
    # the canonical text of format 2 (lib/hashchain.canonical of CONTENT_COLUMNS)
    """
CREATE OR REPLACE FUNCTION serial_audit_canonical(e serial_audit_entry) RETURNS text
    LANGUAGE sql STABLE AS $$ SELECT %s $$
""" % CANONICAL_SQL,
    """
CREATE OR REPLACE FUNCTION serial_audit_hash(e serial_audit_entry) RETURNS text
    LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(e.prev_hash || E'\\n' || serial_audit_canonical(e),
                                    'UTF8')), 'hex')
$$
""",
    """
CREATE OR REPLACE FUNCTION serial_audit_append(p_head_sequence integer, p_head_hash text,
                                               p_rows json) RETURNS SETOF integer AS $$
DECLARE
    last_sequence integer;
    last_hash text;
    appended_at timestamp;
    e serial_audit_entry;
    new_id integer;
BEGIN
    PERFORM pg_advisory_xact_lock(%(lock_key)d);
    SELECT s.sequence, s.hash INTO last_sequence, last_hash
      FROM serial_audit_entry s ORDER BY s.sequence DESC LIMIT 1;
    -- a committed head newer than this transaction's snapshot (see the module doc)
    IF p_head_sequence > coalesce(last_sequence, 0) THEN
        last_sequence := p_head_sequence;
        last_hash := p_head_hash;
    END IF;
    last_sequence := coalesce(last_sequence, 0);
    last_hash := coalesce(last_hash, '%(genesis)s');
    appended_at := clock_timestamp() AT TIME ZONE 'UTC';
    FOR e IN SELECT * FROM json_populate_recordset(NULL::serial_audit_entry, p_rows) LOOP
        e.sequence := last_sequence + 1;
        e."timestamp" := appended_at;
        e.hash_format := %(format)d;
        e.prev_hash := last_hash;
        e.hash := NULL;  -- the insert trigger computes it, once
        INSERT INTO serial_audit_entry (%(columns)s) VALUES (%(values)s)
            ON CONFLICT DO NOTHING RETURNING id, hash INTO new_id, e.hash;
        IF new_id IS NULL THEN
            -- a visible row took the number: only a stale head gets here; retry
            RAISE EXCEPTION 'audit entry no. %% was appended meanwhile; try again', e.sequence
                USING ERRCODE = 'serialization_failure';
        END IF;
        last_sequence := e.sequence;
        last_hash := e.hash;
        RETURN NEXT new_id;
    END LOOP;
END
$$ LANGUAGE plpgsql
""" % {"lock_key": audit_sql.LOCK_KEY, "genesis": hashchain.GENESIS,
       "format": audit_sql.HASH_FORMAT,
       "columns": ", ".join('"%s"' % c for c in _INSERT_COLUMNS),
       "values": ", ".join('e."%s"' % c for c in _INSERT_COLUMNS)},
    """
CREATE OR REPLACE FUNCTION serial_audit_entry_guard() RETURNS trigger AS $$
DECLARE
    stack text;
    computed text;
    last_sequence integer;
    last_hash text;
BEGIN
    GET DIAGNOSTICS stack = PG_CONTEXT;
    IF stack !~ '\\mserial_audit_append\\(integer,text,json\\)[^\\n]*$' THEN
        RAISE EXCEPTION 'INSERT on serial_audit_entry refused: entries are appended by '
            'serial_audit_append() only (tamper-evident audit trail)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    computed := serial_audit_hash(NEW);
    IF NEW.hash IS NULL THEN
        NEW.hash := computed;
    END IF;
    IF NEW.hash_format IS DISTINCT FROM %(format)d OR NEW.hash <> computed THEN
        RAISE EXCEPTION 'audit entry no. %% refused: its hash is not the hash of its content',
            NEW.sequence USING ERRCODE = 'check_violation';
    END IF;
    SELECT s.sequence, s.hash INTO last_sequence, last_hash
      FROM serial_audit_entry s ORDER BY s.sequence DESC LIMIT 1;
    last_sequence := coalesce(last_sequence, 0);
    IF NEW.sequence = last_sequence + 1 THEN
        IF NEW.prev_hash IS DISTINCT FROM coalesce(last_hash, '%(genesis)s') THEN
            RAISE EXCEPTION 'audit entry no. %% refused: it does not chain to entry no. %%',
                NEW.sequence, last_sequence USING ERRCODE = 'check_violation';
        END IF;
    ELSIF NEW.sequence <= last_sequence
          OR current_setting('transaction_isolation') = 'read committed' THEN
        RAISE EXCEPTION 'audit entry no. %% refused: the last entry is no. %%',
            NEW.sequence, last_sequence USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
""" % {"format": audit_sql.HASH_FORMAT, "genesis": hashchain.GENESIS},
)

GUARD_TRIGGER = """
DROP TRIGGER IF EXISTS serial_audit_entry_append_guard ON serial_audit_entry;
CREATE TRIGGER serial_audit_entry_append_guard BEFORE INSERT ON serial_audit_entry
    FOR EACH ROW EXECUTE PROCEDURE serial_audit_entry_guard();
"""

# For the canonical-text tests: the database's canonical text and hash of a row.
CANONICAL_OF = """
    SELECT serial_audit_canonical(e), serial_audit_hash(e)
      FROM serial_audit_entry e WHERE e.id = %(id)s
"""

DROP = (
    "DROP TRIGGER IF EXISTS serial_audit_entry_append_guard ON serial_audit_entry",
    "DROP FUNCTION IF EXISTS serial_audit_entry_guard()",
    "DROP FUNCTION IF EXISTS serial_audit_append(integer, text, json)",
    "DROP FUNCTION IF EXISTS serial_audit_hash(serial_audit_entry)",
    "DROP FUNCTION IF EXISTS serial_audit_canonical(serial_audit_entry)",
)

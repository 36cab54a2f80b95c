#!/usr/bin/env python3
"""Verify the serial_traceability audit trail without Odoo: plain Python 3 + psycopg2.

    python3 verify_audit_chain.py --dsn "dbname=prod host=db user=auditor" \\
        [--anchor audit-anchor-prod-no4853.json ...]

Written from docs/audit-trail.md alone (it imports neither Odoo nor the addon), so an
auditor can read it in a few minutes and run it against a copy of the database. It
needs SELECT on serial_audit_entry and serial_audit_verify only. It checks:

1. the chain: each entry's ``prev_hash`` is the previous entry's ``hash`` (the first
   one's is 64 zeros), its ``hash`` is SHA-256 of ``prev_hash + "\\n" +`` the
   canonical JSON of its content, in the entry's format (below), and the numbers
   run 1, 2, 3... without a gap;
2. every head an earlier verification run stored (``serial_audit_verify``): the entry
   of that number must still exist with that hash;
3. every anchor file given: the same, for the entry number and hash in the file.

Prints one line per finding and ends with "intact" or "BROKEN"; exit status 0 when
intact, 1 when broken, 2 when it could not check.
"""
import argparse
import hashlib
import json
import re
import sys

import psycopg2

GENESIS = "0" * 64
PAGE = 5000

# The content an entry's hash covers. Format 2 adds "hash_format" (always 2); format 1
# (hash_format NULL, entries written before format 2 existed) does not have it.
CONTENT_V1 = ("sequence", "res_model", "res_id", "res_name", "action", "field", "old_value",
              "new_value", "user_id", "user_name", "company_id", "timestamp", "reason")
SELECT_PAGE = """
    SELECT sequence, res_model, res_id, res_name, action, field, old_value, new_value,
           user_id, user_name, company_id,
           to_char("timestamp", 'YYYY-MM-DD"T"HH24:MI:SS.US'), reason,
           {hash_format}, prev_hash, hash
      FROM serial_audit_entry WHERE sequence > %s ORDER BY sequence LIMIT %s
"""
# a database not yet upgraded to format 2 has no hash_format column: all format 1
HAS_FORMAT = """
    SELECT count(*) FROM information_schema.columns
     WHERE table_name = 'serial_audit_entry' AND column_name = 'hash_format'
"""
LAST_ENTRY = "SELECT sequence, hash FROM serial_audit_entry ORDER BY sequence DESC LIMIT 1"
ENTRY_HASH = "SELECT hash FROM serial_audit_entry WHERE sequence = %s"
CHANGED_HEADS = """
    SELECT v.id, v.head_sequence, v.head_hash, v.run_at::text, e.hash
      FROM serial_audit_verify v
      LEFT JOIN serial_audit_entry e ON e.sequence = v.head_sequence
     WHERE v.head_sequence > 0 AND e.hash IS DISTINCT FROM v.head_hash
     ORDER BY v.head_sequence, v.id LIMIT 1
"""


def canonical(row):
    """The bytes hashed for one entry (``row``: dict of the selected columns)."""
    content = {name: row[name] for name in CONTENT_V1}
    stamp = row["timestamp"]  # 'YYYY-MM-DDTHH:MM:SS.ffffff', UTC
    if row["hash_format"] is None:
        # format 1: the text PostgreSQL printed, 'YYYY-MM-DD HH:MM:SS[.f...]',
        # fraction without trailing zeros and without the dot when zero
        whole, fraction = stamp.replace("T", " ").split(".")
        fraction = fraction.rstrip("0")
        content["timestamp"] = whole + ("." + fraction if fraction else "")
    else:
        content["timestamp"] = {"$datetime": stamp + "Z"}
        content["hash_format"] = row["hash_format"]
    return json.dumps(content, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def entry_hash(prev_hash, row):
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(row)).hexdigest()


def check_chain(cur):
    """(entries checked, first problem or None); a problem is (number, kind, text)."""
    expected_prev, newest_format, count, after = GENESIS, None, 0, -2 ** 63
    cur.execute(HAS_FORMAT)
    select = SELECT_PAGE.format(hash_format="hash_format" if cur.fetchone()[0] else "NULL")
    while True:
        cur.execute(select, (after, PAGE))
        rows = cur.fetchall()
        for values in rows:
            row = dict(zip(CONTENT_V1 + ("hash_format", "prev_hash", "hash"), values))
            number, fmt = row["sequence"], row["hash_format"]
            if fmt not in (None, 2) or (newest_format == 2 and fmt is None):
                return count, (number, "format", "entry no. %d has hash format %r after "
                                                 "format 2 began" % (number, fmt))
            if row["prev_hash"] != expected_prev:
                return count, (number, "link", "entry no. %d does not chain to the entry "
                                               "before it (deleted, inserted, reordered, "
                                               "or the one before rewritten)" % number)
            if not isinstance(row["hash"], str) or entry_hash(row["prev_hash"], row) != row["hash"]:
                return count, (number, "content", "entry no. %d: its hash is not the hash "
                                                  "of its content (altered)" % number)
            if number != count + 1:
                return count, (number, "number", "entry no. %d follows entry no. %d: "
                                                 "the numbers must have no gap" % (number, count))
            expected_prev, newest_format, count = row["hash"], fmt, count + 1
        if len(rows) < PAGE:
            return count, None
        after = rows[-1][0]


def check_stored_heads(cur, last):
    cur.execute(CHANGED_HEADS)
    found = cur.fetchone()
    if not found:
        return None
    run, number, seen, run_at, now = found
    where = "verification run %d (%s UTC)" % (run, run_at)
    if now is None and number > last:
        return number, "truncated", ("%s saw entry no. %d; the trail now ends at no. %d: "
                                     "entries were removed from the end" % (where, number, last))
    if now is None:
        return number, "missing", "%s saw entry no. %d, which is now missing" % (where, number)
    return number, "rewritten", ("%s saw entry no. %d with hash %s, it now has %s: "
                                 "rewritten and rehashed" % (where, number, seen, now))


def read_anchor(path):
    """(number, hash) from an anchor file; ValueError when it is not one."""
    with open(path, "rb") as handle:
        doc = json.loads(handle.read().decode("utf-8"))
    if not isinstance(doc, dict) or doc.get("kind") != "serial_traceability audit trail anchor":
        raise ValueError("%s is not an audit trail anchor" % path)
    head = doc.get("head")
    if not isinstance(head, dict):
        raise ValueError("%s is not an audit trail anchor" % path)
    number, digest = head.get("sequence"), head.get("hash")
    if type(number) is not int or number < 1 or not re.match(r"[0-9a-f]{64}\Z", str(digest)):
        raise ValueError("%s has no valid entry number and hash" % path)
    return number, digest


def check_anchor(cur, path, number, digest, last):
    cur.execute(ENTRY_HASH, (number,))
    found = cur.fetchone()
    if found and found[0] == digest:
        return None
    if not found:
        return number, "anchor", ("anchor %s names entry no. %d, which the trail no longer "
                                  "has (it ends at no. %d)" % (path, number, last))
    return number, "anchor", ("anchor %s says entry no. %d had hash %s, it now has %s"
                              % (path, number, digest, found[0]))


def verify(conn, anchors=()):
    """Check the trail on ``conn``; ``anchors`` are (path, number, hash). Returns a dict:
    ok, count, head (number, hash), problems [(number, kind, text)], first first."""
    cur = conn.cursor()
    count, problem = check_chain(cur)
    cur.execute(LAST_ENTRY)
    head = cur.fetchone() or (0, GENESIS)
    problems = [problem] if problem else []
    problems.append(check_stored_heads(cur, head[0]))
    problems += [check_anchor(cur, path, number, digest, head[0])
                 for path, number, digest in anchors]
    problems = [p for p in problems if p]
    return {"ok": not problems, "count": count, "head": tuple(head), "problems": problems}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dsn", default="", help="libpq connection string (default: "
                                                  "the PG* environment variables)")
    parser.add_argument("--anchor", action="append", default=[], metavar="FILE",
                        help="an anchor file exported from the addon (repeatable)")
    args = parser.parse_args(argv)
    try:
        anchors = [(path,) + read_anchor(path) for path in args.anchor]
        conn = psycopg2.connect(args.dsn)
        try:
            conn.set_session(readonly=True)
            result = verify(conn, anchors)
        finally:
            conn.close()
    except (OSError, ValueError, psycopg2.Error) as exc:
        print("could not verify: %s" % exc, file=sys.stderr)
        return 2
    for number, kind, text in result["problems"]:
        print("BROKEN at entry no. %d (%s): %s" % (number, kind, text))
    number, digest = result["head"]
    print("%s: %d entries chained, last entry no. %d, hash %s"
          % ("intact" if result["ok"] else "BROKEN", result["count"], number, digest))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())

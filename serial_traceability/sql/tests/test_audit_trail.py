import datetime
import hashlib
import json

import pytest

from serial_traceability.lib import hashchain
from serial_traceability.sql import audit_append as audit_append_sql
from serial_traceability.sql import audit_trail as audit_sql

WHEN = datetime.datetime(2026, 3, 1, 12, 0, 0, 123456)

# The documented bytes (docs/audit-trail.md) of stored(1) in each format. Pinned: if
# these change, stored entries stop verifying.
V2_CANONICAL = (
    b'{"action":"write","company_id":1,"field":"name","hash_format":2,'
    b'"new_value":"{\\"name\\":\\"b\\"}","old_value":"{\\"name\\":\\"a\\"}","reason":null,'
    b'"res_id":1,"res_model":"stock.production.lot","res_name":"SN-1","sequence":1,'
    b'"timestamp":{"$datetime":"2026-03-01T12:00:00.123456Z"},"user_id":2,'
    b'"user_name":"Ann"}')
V1_CANONICAL = (
    b'{"action":"write","company_id":1,"field":"name",'
    b'"new_value":"{\\"name\\":\\"b\\"}","old_value":"{\\"name\\":\\"a\\"}","reason":null,'
    b'"res_id":1,"res_model":"stock.production.lot","res_name":"SN-1","sequence":1,'
    b'"timestamp":"2026-03-01 12:00:00.123456","user_id":2,"user_name":"Ann"}')


V2_HASH = "b20caa82482ef8093f7a97dd84b16386a0945463096bfc1cf0e3f5f80ae45f34"
V1_HASH = "55442209d3b49f0ec6d3930da382b98abc498fdb82114cb3806462c02128a7c4"


def stored(i, fmt=2, when=WHEN):
    """A row as the database holds it (stream_rows' dict)."""
    return {"sequence": i, "res_model": "stock.production.lot", "res_id": i,
            "res_name": "SN-%d" % i, "action": "write", "field": "name",
            "old_value": '{"name":"a"}', "new_value": '{"name":"b"}', "user_id": 2,
            "user_name": "Ann", "company_id": 1, "timestamp": when, "reason": None,
            "hash_format": fmt}


def chain(rows):
    """stream_rows output for ``rows``, correctly linked and hashed."""
    out, prev = [], hashchain.GENESIS
    for index, values in enumerate(rows):
        digest = hashchain.entry_hash(prev, audit_sql.hashed_content(values))
        out.append((100 + index, values, prev, digest))
        prev = digest
    return out


def test_documented_bytes_of_both_formats():
    assert hashchain.canonical(audit_sql.hashed_content(stored(1))) == V2_CANONICAL
    assert hashchain.canonical(audit_sql.hashed_content(stored(1, None))) == V1_CANONICAL
    digest = hashchain.entry_hash(hashchain.GENESIS, audit_sql.hashed_content(stored(1)))
    assert digest == hashlib.sha256(b"0" * 64 + b"\n" + V2_CANONICAL).hexdigest() == V2_HASH
    assert hashchain.entry_hash(hashchain.GENESIS, audit_sql.hashed_content(
        stored(1, None))) == V1_HASH


def test_format_1_is_what_the_old_code_hashed():
    """Before format 2 the cursor returned PostgreSQL's text of the timestamp and the
    13 columns were hashed with it as a plain string."""
    old = {c: stored(1, None)[c] for c in audit_sql.CONTENT_COLUMNS_V1}
    old["timestamp"] = "2026-03-01 12:00:00.123456"
    assert hashchain.canonical(old) == V1_CANONICAL


@pytest.mark.parametrize("micro,text", [
    (123456, "2026-03-01 12:00:00.123456"), (100000, "2026-03-01 12:00:00.1"),
    (120, "2026-03-01 12:00:00.00012"), (0, "2026-03-01 12:00:00")])
def test_legacy_timestamp_text_is_postgresqls(micro, text):
    assert audit_sql.legacy_timestamp_text(WHEN.replace(microsecond=micro)) == text


def test_timestamps_parse_from_the_selected_text():
    assert audit_sql.parse_timestamp("2026-03-01T12:00:00.000120") == WHEN.replace(
        microsecond=120)
    with pytest.raises(ValueError):
        audit_sql.hashed_content(stored(1, 3))


def test_append_rows_json_checks_columns_and_types():
    row = {c: stored(1)[c] for c in audit_sql.ROW_COLUMNS}
    assert json.loads(audit_sql.append_rows_json([row, dict(row, reason="é")])) == [
        row, dict(row, reason="é")]
    empty = json.loads(audit_sql.append_rows_json([dict(row, reason=False, res_id=False)]))
    assert (empty[0]["reason"], empty[0]["res_id"]) == (None, None)
    for bad in ({k: v for k, v in row.items() if k != "reason"}, dict(row, extra=1),
                dict(row, res_id="1"), dict(row, user_id=True), dict(row, action=5),
                dict(row, reason=True)):
        with pytest.raises(ValueError):
            audit_sql.append_rows_json([bad])


def test_stream_pages_in_order_and_verifies_old_then_new_format():
    rows = chain([stored(i, None) for i in range(1, 4)] +
                 [stored(i) for i in range(4, 8)])
    table = [(row_id, ) + tuple(
        values[c].isoformat(timespec="microseconds") if c == "timestamp" else values[c]
        for c in audit_sql.CONTENT_COLUMNS) + (prev, digest)
        for row_id, values, prev, digest in rows]

    def fetch(after, limit):
        return [row for row in table if row[1] > after][:limit]

    streamed = list(audit_sql.stream_rows(fetch, page_size=3))
    assert [s[1]["sequence"] for s in streamed] == list(range(1, 8))
    result = audit_sql.verify_rows(iter(streamed))
    assert (result["ok"], result["count"], result["head"][0]) == (True, 7, 7)
    assert audit_sql.verify_rows(iter([]))["ok"]


def test_what_verify_rows_reports_and_where():
    def first_problem(rows):
        result = audit_sql.verify_rows(iter(rows))
        return result["ok"], result["kind"], result["sequence"], result["count"]

    good = [stored(i) for i in range(1, 6)]
    rows = chain(good)
    rows[2] = (rows[2][0], dict(rows[2][1], res_name="X"), rows[2][2], rows[2][3])
    assert first_problem(rows) == (False, "content", 3, 2)
    rows = chain(good)
    del rows[2]
    assert first_problem(rows) == (False, "link", 4, 2)
    # old format after the new one, an unknown one, and a gap in the numbers
    assert first_problem(chain(good[:2] + [stored(3, None)]))[:3] == (False, "format", 3)
    rows = chain(good)
    rows[2] = (rows[2][0], dict(rows[2][1], hash_format=7), rows[2][2], rows[2][3])
    assert first_problem(rows)[:3] == (False, "format", 3)
    assert first_problem(chain(good[:2] + [stored(4)])) == (False, "number", 4, 2)
    assert first_problem(chain([stored(2)]))[:3] == (False, "number", 2)


def test_database_canonical_keys_follow_pythons_order():
    sql = audit_append_sql.CANONICAL_SQL
    positions = [sql.index('"%s":' % c) for c in sorted(audit_sql.CONTENT_COLUMNS)]
    assert positions == sorted(positions)
    assert "'{\"$datetime\":\"' || to_char(e.\"timestamp\", " in sql
    assert all("coalesce(e.%s::text, 'null')" % c in sql for c in audit_sql.INT_COLUMNS)
    append = audit_append_sql.FUNCTIONS[2]
    assert "pg_advisory_xact_lock(%d)" % audit_sql.LOCK_KEY in append


def test_protect_sql_only_for_known_tables():
    assert "BEFORE TRUNCATE" in audit_sql.protect_sql("serial_audit_entry")
    assert "serial_audit_verify_no_change" in audit_sql.protect_sql("serial_audit_verify")
    with pytest.raises(ValueError):
        audit_sql.protect_sql("res_users; DROP TABLE x")

import datetime

import pytest

from serial_traceability.lib import hashchain
from serial_traceability.sql import audit_trail as audit_sql

WHEN = datetime.datetime(2026, 3, 1, 12, 0, 0, 123456)


def content(i):
    return {"res_model": "stock.production.lot", "res_id": i, "res_name": "SN-%d" % i,
            "action": "write", "field": "name", "old_value": '{"name":"a"}',
            "new_value": '{"name":"b"}', "user_id": 2, "user_name": "Ann",
            "company_id": 1, "reason": None}


def test_built_entries_chain_and_verify():
    rows, last = audit_sql.build_entries(hashchain.GENESIS, 1, WHEN, [content(i) for i in range(5)])
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert last == rows[-1][-1]
    n = len(audit_sql.CONTENT_COLUMNS)
    triples = [(dict(zip(audit_sql.CONTENT_COLUMNS, r[:n])), r[n], r[n + 1]) for r in rows]
    assert hashchain.verify_chain(triples)[0]
    assert all(t[0]["timestamp"] == WHEN for t in triples)


def test_appending_continues_an_existing_chain():
    first, head = audit_sql.build_entries(hashchain.GENESIS, 1, WHEN, [content(1)])
    second, _last = audit_sql.build_entries(head, 2, WHEN, [content(2)])
    assert second[0][-2] == head


def test_missing_or_extra_columns_refused():
    bad = content(1)
    del bad["reason"]
    with pytest.raises(ValueError):
        audit_sql.build_entries(hashchain.GENESIS, 1, WHEN, [bad])
    with pytest.raises(ValueError):
        audit_sql.build_entries(hashchain.GENESIS, 1, WHEN, [dict(content(1), extra=1)])


def test_insert_sql_has_one_row_placeholder_per_entry():
    sql = audit_sql.insert_sql(3)
    assert sql.count("%s") == 3
    assert "ON CONFLICT DO NOTHING" in sql
    with pytest.raises(ValueError):
        audit_sql.insert_sql(0)


def test_changes_json_is_stable():
    assert audit_sql.changes_json({"b": 1, "a": [2, "é"]}) == '{"a":[2,"é"],"b":1}'


def test_stream_pages_in_order():
    contents = [content(i) for i in range(7)]
    rows, _last = audit_sql.build_entries(hashchain.GENESIS, 1, WHEN, contents)
    table = [(100 + r[0],) + r for r in rows]

    def fetch(after, limit):
        return [row for row in table if row[1] > after][:limit]

    streamed = list(audit_sql.stream_entries(fetch, page_size=3))
    assert [s[1] for s in streamed] == list(range(1, 8))
    assert hashchain.verify_chain(s[2] for s in streamed)[0]


def test_protect_sql_only_for_known_tables():
    assert "BEFORE TRUNCATE" in audit_sql.protect_sql("serial_audit_entry")
    with pytest.raises(ValueError):
        audit_sql.protect_sql("res_users; DROP TABLE x")

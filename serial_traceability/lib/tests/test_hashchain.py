import datetime
import decimal
import hashlib

import pytest

from serial_traceability.lib import hashchain as hc

UTC = datetime.timezone.utc
KNOWN = {
    "action": "write", "model": "stock.production.lot", "res_id": 42, "user_id": 7,
    "field": "name", "old": "SN-0001", "new": "SN-0001-\u00e9", "qty": 1.0, "count": 1,
    "active": True, "note": None, "price": decimal.Decimal("12.50"),
    "at": datetime.datetime(2024, 3, 7, 14, 5, 9, 123456), "day": datetime.date(2024, 3, 7),
}
# Pinned once: if these change, every stored audit hash stops verifying.
KNOWN_CANONICAL = (
    b'{"action":"write","active":true,"at":{"$datetime":"2024-03-07T14:05:09.123456Z"},'
    b'"count":1,"day":{"$date":"2024-03-07"},"field":"name","model":"stock.production.lot",'
    b'"new":"SN-0001-\xc3\xa9","note":null,"old":"SN-0001","price":{"$decimal":"12.50"},'
    b'"qty":1.0,"res_id":42,"user_id":7}')
KNOWN_ENTRY_HASH = "1ec0baf5c2b2706c88a3c64f5f19ad91f5b3a32d4ba57cbb00b47d91d17f7ba6"
KNOWN_SIGN_HASH = "73440c1995412569ed5056e784c728ed871d3fda6493c9cb02660ae400e8f669"


def build_chain(n):
    rows, prev = [], hc.GENESIS
    for i in range(n):
        entry = {"seq": i, "lot": "SN-%04d" % i, "qty": float(i) / 2}
        digest = hc.entry_hash(prev, entry)
        rows.append((entry, prev, digest))
        prev = digest
    return rows


def test_known_answer():
    assert hc.GENESIS == "0" * 64
    assert hc.canonical(KNOWN) == KNOWN_CANONICAL
    assert hc.entry_hash(hc.GENESIS, KNOWN) == KNOWN_ENTRY_HASH
    assert KNOWN_ENTRY_HASH == hashlib.sha256(
        b"0" * 64 + b"\n" + KNOWN_CANONICAL).hexdigest()
    assert hc.sign_content_hash(KNOWN) == KNOWN_SIGN_HASH


def test_key_order_does_not_matter():
    reordered = dict(reversed(list(KNOWN.items())))
    assert list(reordered) != list(KNOWN)
    assert hc.canonical(reordered) == KNOWN_CANONICAL
    assert hc.entry_hash(hc.GENESIS, reordered) == KNOWN_ENTRY_HASH


def test_types_are_kept_apart():
    values = [1, 1.0, "1", True, decimal.Decimal("1"), decimal.Decimal("1.0"),
              "2024-03-07", datetime.date(2024, 3, 7), None, "null", 0.0, -0.0]
    encodings = {hc.canonical({"v": v}) for v in values}
    assert len(encodings) == len(values)


def test_naive_datetime_is_utc_and_aware_is_converted():
    naive = datetime.datetime(2024, 3, 7, 12, 0)
    aware_utc = naive.replace(tzinfo=UTC)
    aware_cet = datetime.datetime(2024, 3, 7, 13, 0, tzinfo=datetime.timezone(
        datetime.timedelta(hours=1)))
    assert hc.canonical({"t": naive}) == hc.canonical({"t": aware_utc}) \
        == hc.canonical({"t": aware_cet}) == b'{"t":{"$datetime":"2024-03-07T12:00:00.000000Z"}}'
    assert hc.canonical({"t": naive.replace(hour=13)}) != hc.canonical({"t": aware_cet})
    assert hc.canonical({"d": datetime.date(987, 1, 2)}) == b'{"d":{"$date":"0987-01-02"}}'


@pytest.mark.parametrize("value", [
    datetime.time(12, 0), b"bytes", [1], (1,), {"a": 1}, {1}, object(), complex(1, 2)])
def test_unsupported_type_raises_type_error(value):
    with pytest.raises(TypeError):
        hc.canonical({"v": value})
    with pytest.raises(TypeError):
        hc.entry_hash(hc.GENESIS, {"v": value})


def test_bad_keys_entries_and_numbers():
    with pytest.raises(TypeError):
        hc.canonical({1: "a"})
    with pytest.raises(TypeError):
        hc.canonical([("a", 1)])
    for value in (float("nan"), float("inf"), decimal.Decimal("NaN"), decimal.Decimal("-Inf")):
        with pytest.raises(ValueError):
            hc.canonical({"v": value})
    with pytest.raises(ValueError):
        hc.entry_hash("ABC", {})
    with pytest.raises(ValueError):
        hc.entry_hash(hc.GENESIS.upper().replace("0", "A"), {})


def test_intact_chain_verifies_from_a_generator():
    rows = build_chain(5)
    consumed = []

    def stream():
        for row in rows:
            consumed.append(row)
            yield row

    assert hc.verify_chain(stream()) == (True, None, "chain intact (5 entries)")
    assert consumed == rows
    assert hc.verify_chain(iter([])) == (True, None, "chain intact (0 entries)")


def test_streaming_stops_at_first_bad_entry():
    rows = build_chain(5)
    rows[1] = ({"seq": 1, "lot": "FORGED"}, rows[1][1], rows[1][2])
    pulled = []

    def stream():
        for index, row in enumerate(rows):
            pulled.append(index)
            yield row

    assert hc.verify_chain(stream())[:2] == (False, 1)
    assert pulled == [0, 1]


def test_altered_content_detected_at_right_index():
    rows = build_chain(6)
    entry, prev, digest = rows[3]
    rows[3] = (dict(entry, qty=99.0), prev, digest)
    ok, index, reason = hc.verify_chain(rows)
    assert (ok, index) == (False, 3)
    assert reason.startswith("content altered or hash forged at entry 3")


def test_recomputed_hash_but_broken_link():
    # the forger fixes entry 2's own hash, but entry 3 still points at the old one
    rows = build_chain(5)
    entry, prev, _ = rows[2]
    altered = dict(entry, lot="SN-XXXX")
    rows[2] = (altered, prev, hc.entry_hash(prev, altered))
    ok, index, reason = hc.verify_chain(rows)
    assert (ok, index) == (False, 3)
    assert reason.startswith("broken link at entry 3")


def test_first_entry_must_start_at_genesis():
    rows = build_chain(3)
    ok, index, reason = hc.verify_chain(rows[1:])
    assert (ok, index) == (False, 0)
    assert "chain start" in reason


def test_deleted_middle_entry_detected():
    rows = build_chain(5)
    del rows[2]
    ok, index, reason = hc.verify_chain(rows)
    assert (ok, index) == (False, 2)
    assert reason.startswith("broken link at entry 2")


def test_inserted_entry_detected():
    rows = build_chain(5)
    # a well-formed entry chained to entry 1, so only the link of the next one breaks
    extra = {"seq": 99, "lot": "SN-EXTRA", "qty": 0.0}
    rows.insert(2, (extra, rows[1][2], hc.entry_hash(rows[1][2], extra)))
    ok, index, reason = hc.verify_chain(rows)
    assert (ok, index) == (False, 3)
    assert reason.startswith("broken link at entry 3")


def test_swapped_entries_detected():
    rows = build_chain(4)
    rows[1], rows[2] = rows[2], rows[1]
    assert hc.verify_chain(rows)[:2] == (False, 1)


def test_missing_or_malformed_stored_hash_is_reported_not_raised():
    rows = build_chain(3)
    rows[1] = (rows[1][0], rows[1][1], None)
    assert hc.verify_chain(rows)[:2] == (False, 1)
    rows = build_chain(3)
    rows[2] = (rows[2][0], False, rows[2][2])
    assert hc.verify_chain(rows)[:2] == (False, 2)


def test_sign_content_hash_binds_content():
    fields = {"lot_id": 5, "meaning": "approved", "signer": 7,
              "at": datetime.datetime(2024, 3, 7, 9, 0, tzinfo=UTC)}
    digest = hc.sign_content_hash(fields)
    assert digest == hashlib.sha256(hc.canonical(fields)).hexdigest()
    assert digest == hc.sign_content_hash(dict(reversed(list(fields.items()))))
    assert digest != hc.sign_content_hash(dict(fields, meaning="rejected"))

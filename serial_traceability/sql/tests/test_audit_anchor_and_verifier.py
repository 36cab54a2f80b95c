"""The independent verifier (docs/verify_audit_chain.py) hashes exactly what the
library hashes, for any content; anchor files round-trip and bad ones are refused."""
import datetime
import importlib.util
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from serial_traceability.lib import audit_anchor, hashchain
from serial_traceability.sql import audit_trail as audit_sql

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
_SPEC = importlib.util.spec_from_file_location(
    "verify_audit_chain", os.path.join(ROOT, "docs", "verify_audit_chain.py"))
verifier = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(verifier)

SETTINGS = settings(max_examples=500, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
# what PostgreSQL text can hold: no NUL, no lone surrogates
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
MAYBE_TEXT = st.none() | TEXT
MAYBE_INT = st.none() | st.integers(-2 ** 31, 2 ** 31 - 1)
ROWS = st.fixed_dictionaries({
    "sequence": st.integers(1, 2 ** 31 - 1), "res_model": TEXT, "res_id": MAYBE_INT,
    "res_name": MAYBE_TEXT, "action": TEXT, "field": MAYBE_TEXT, "old_value": MAYBE_TEXT,
    "new_value": MAYBE_TEXT, "user_id": MAYBE_INT, "user_name": MAYBE_TEXT,
    "company_id": MAYBE_INT, "reason": MAYBE_TEXT, "hash_format": st.sampled_from([None, 2]),
    "timestamp": st.datetimes(datetime.datetime(1970, 1, 1), datetime.datetime(2999, 1, 1)),
})


@SETTINGS
@given(ROWS)
def test_verifier_canonical_is_the_librarys(row):
    library = hashchain.canonical(audit_sql.hashed_content(row))
    as_selected = dict(row, timestamp=row["timestamp"].isoformat(timespec="microseconds"))
    assert verifier.canonical(as_selected) == library
    assert verifier.entry_hash(hashchain.GENESIS, as_selected) == hashchain.entry_hash(
        hashchain.GENESIS, audit_sql.hashed_content(row))


def anchor_bytes(**head):
    head = dict({"sequence": 12, "hash": "ab" * 32, "timestamp": "2026-03-01 12:00:00 UTC"},
                **head)
    return audit_anchor.dumps(audit_anchor.document(
        "db", "uuid-1", (head["sequence"], head["hash"], head["timestamp"]),
        {"run": 1, "result": "intact"}, [{"printed_name": "Q. Manager"}],
        "2026-03-01 12:01:00 UTC", "Q. Manager"))


def test_anchor_round_trip_for_both_readers(tmp_path):
    data = anchor_bytes()
    assert audit_anchor.check_document(data) == (12, "ab" * 32, "uuid-1")
    assert data.endswith(b"}\n") and b'\n  "head": {\n' in data
    path = tmp_path / "anchor.json"
    path.write_bytes(data)
    assert verifier.read_anchor(str(path)) == (12, "ab" * 32)


@pytest.mark.parametrize("data", [
    b"", b"\xff", b"[]", b'{"kind": "x"}', json.dumps({"kind": audit_anchor.KIND}).encode(),
    anchor_bytes(sequence=0), anchor_bytes(sequence="12"), anchor_bytes(sequence=True),
    anchor_bytes(hash="AB" * 32), anchor_bytes(hash="ab" * 31)])
def test_bad_anchor_files_are_refused_with_a_sentence(data, tmp_path):
    with pytest.raises(ValueError) as caught:
        audit_anchor.check_document(data)
    assert str(caught.value).endswith(".")
    if data.startswith(b"{"):
        path = tmp_path / "bad.json"
        path.write_bytes(data)
        with pytest.raises(ValueError):
            verifier.read_anchor(str(path))

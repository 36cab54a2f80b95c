"""Hashing for the tamper-evident audit trail (21 CFR Part 11 style).

Each audit entry stores ``hash = sha256(prev_hash + "\\n" + canonical(content))`` and the
``prev_hash`` it was chained to, the first entry chaining to GENESIS. Editing, deleting or
inserting an entry in the database then breaks the chain at that point, which
``verify_chain`` reports. What a bare hash chain cannot catch: someone who rewrites *every*
later entry too, or drops entries from the end. Against that the addon keeps the head each
verification run saw and exports signed anchors (head number and hash) outside the
database; see docs/audit-trail.md. Which columns of an audit entry are hashed, and how
the timestamp is represented, is in ``sql/audit_trail.py``.

Why a hand-rolled canonical form: the hash must be reproducible years later, by other tools
and other Python versions, so the bytes hashed are fixed here rather than left to whatever
str()/json defaults happen to do. The rules, all part of the format:

* JSON, keys sorted, separators ``,`` and ``:``, non-ASCII kept as is (ensure_ascii=False),
  encoded as UTF-8. Keys must be str; strings are hashed as given (no Unicode normalising).
* None, bool, str, int: the JSON ones. int subclasses (bool excepted) are hashed as int.
* float: JSON number written by ``repr()`` (shortest round-trip form, stable since Python
  3.1), so 1.0 ("1.0") and 1 ("1") are *distinct*, as are 0.0 and -0.0. NaN and infinities
  raise ValueError: JSON has no spelling for them.
* datetime: ``{"$datetime": "YYYY-MM-DDTHH:MM:SS.ffffffZ"}``, converted to UTC; a naive
  datetime is taken to be UTC already (Odoo stores naive UTC). Microseconds always written.
* date: ``{"$date": "YYYY-MM-DD"}``.
* Decimal: ``{"$decimal": str(value)}``, so the scale counts: Decimal("1.10") differs from
  Decimal("1.1"). Non-finite Decimals raise ValueError.
* Anything else (time, bytes, list, dict, records, ...) raises TypeError: the caller has to
  decide how such a value is represented, not this module by accident.

The ``$`` objects keep the encoding unambiguous: no accepted value is itself a dict, so the
date 2024-01-02 and the string "2024-01-02" can never hash alike. Years before 1000 are
zero-padded by hand because strftime's %Y is not padded on every platform.
"""
import datetime
import decimal
import hashlib
import json
import math
import re

GENESIS = "0" * 64
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")


def _date_text(value):
    return "%04d-%02d-%02d" % (value.year, value.month, value.day)


def _encode(value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("cannot hash a non-finite float: %r" % value)
        return float(value)
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise ValueError("cannot hash a non-finite Decimal: %s" % value)
        return {"$decimal": str(value)}
    # datetime is a subclass of date, so it must be tested first
    if isinstance(value, datetime.datetime):
        if value.utcoffset() is not None:
            value = value.astimezone(datetime.timezone.utc)
        return {"$datetime": "%sT%02d:%02d:%02d.%06dZ" % (
            _date_text(value), value.hour, value.minute, value.second, value.microsecond)}
    if isinstance(value, datetime.date):
        return {"$date": _date_text(value)}
    raise TypeError("cannot hash a value of type %s: convert it to a supported type first"
                    % type(value).__name__)


def canonical(entry):
    """The deterministic UTF-8 bytes of a dict of content fields (rules in the module doc)."""
    if not isinstance(entry, dict):
        raise TypeError("entry must be a dict, not %s" % type(entry).__name__)
    encoded = {}
    for key, value in entry.items():
        if not isinstance(key, str):
            raise TypeError("entry keys must be str, not %s" % type(key).__name__)
        encoded[str(key)] = _encode(value)
    return json.dumps(encoded, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def entry_hash(prev_hash, entry):
    """Hex SHA-256 of ``prev_hash`` (ASCII) + b"\\n" + canonical(entry)."""
    if not isinstance(prev_hash, str) or not _HEX64.match(prev_hash):
        raise ValueError("prev_hash must be 64 lowercase hex characters, got %r" % (prev_hash,))
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(entry)).hexdigest()


def verify_chain(entries):
    """Check an ordered iterable of (entry_dict, prev_hash_stored, hash_stored).

    Returns ``(True, None, reason)`` or ``(False, index, reason)`` for the first bad entry,
    index counted from 0 in the iterable. Consumes it lazily, one entry in memory at a time,
    so a cursor over a long trail can be passed directly. An entry whose content cannot be
    canonicalised raises (TypeError/ValueError): that is a bug in the caller, not tampering.
    """
    expected_prev = GENESIS
    count = 0
    for index, (entry, prev_stored, hash_stored) in enumerate(entries):
        # link first: after a deletion or insertion the content of each entry is still
        # intact, so reporting the link is what tells the auditor what happened
        if prev_stored != expected_prev:
            what = "the chain start" if index == 0 else "entry %d's hash" % (index - 1)
            return False, index, ("broken link at entry %d: its stored previous hash does not "
                                  "match %s (entry deleted, inserted or reordered)"
                                  % (index, what))
        if entry_hash(prev_stored, entry) != hash_stored:
            return False, index, ("content altered or hash forged at entry %d: its stored hash "
                                  "does not match the hash of its content" % index)
        expected_prev = hash_stored
        count = index + 1
    return True, None, "chain intact (%d entries)" % count


def sign_content_hash(record_fields):
    """Hex SHA-256 of canonical(record_fields), the content an electronic signature binds to.

    Cannot collide with an entry_hash input: that one starts with 64 hex digits, this one
    with "{". Part 11 wants the signer, the time and the meaning of the signature bound to the
    record, so the caller includes them in ``record_fields``.
    """
    return hashlib.sha256(canonical(record_fields)).hexdigest()

"""Anchor files of the audit trail, host-free.

An anchor is the head of the trail (entry number, hash, time) as a signed
verification run saw it, written to a small JSON file that leaves the database (a
download, a mail to an address outside the company). Whoever holds the file can
later prove what the trail held: the entry of that number must still exist and
still have that hash, or the trail was cut or rewritten since. The file is
indented JSON with sorted keys so a person can read it; ``check_document`` reads
back only what the proof needs and says in a sentence what is wrong with a file
that is not an anchor.
"""
import json
import re

KIND = "serial_traceability audit trail anchor"
FORMAT = 1
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")


def document(database, database_uuid, head, verification, signatures, exported_at,
             exported_by):
    """The anchor as a dict: ``head`` (sequence, hash, timestamp text),
    ``verification`` and each signature plain dicts of text and numbers."""
    sequence, digest, timestamp = head
    return {
        "kind": KIND,
        "anchor_format": FORMAT,
        "database": database,
        "database_uuid": database_uuid,
        "head": {"sequence": sequence, "hash": digest, "timestamp": timestamp},
        "verification": verification,
        "signatures": signatures,
        "exported_at": exported_at,
        "exported_by": exported_by,
        "how_to_check": ("The audit trail must still hold entry no. %s with this hash. "
                         "Check in Odoo (Traceability > Verify against an anchor) or "
                         "with docs/verify_audit_chain.py --anchor <this file>." % sequence),
    }


def dumps(doc):
    """The bytes of the file: UTF-8, indented, keys sorted, one final newline."""
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def check_document(data):
    """``(sequence, hash, database_uuid)`` of an anchor file's bytes; ValueError with a
    sentence when the bytes are not an anchor this addon wrote."""
    if not isinstance(data, bytes):
        raise ValueError("The anchor file could not be read.")
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValueError("This file is not an audit trail anchor: it is not JSON text.")
    if not isinstance(doc, dict) or doc.get("kind") != KIND:
        raise ValueError("This file is not an audit trail anchor of serial_traceability.")
    if doc.get("anchor_format") != FORMAT:
        raise ValueError("This anchor has format %r; only format %d is known."
                         % (doc.get("anchor_format"), FORMAT))
    head = doc.get("head")
    sequence = head.get("sequence") if isinstance(head, dict) else None
    digest = head.get("hash") if isinstance(head, dict) else None
    if type(sequence) is not int or sequence < 1:
        raise ValueError("The anchor has no valid entry number.")
    if not isinstance(digest, str) or not _HEX64.match(digest):
        raise ValueError("The anchor's hash is not 64 lowercase hexadecimal digits.")
    uuid = doc.get("database_uuid")
    return sequence, digest, uuid if isinstance(uuid, str) else None

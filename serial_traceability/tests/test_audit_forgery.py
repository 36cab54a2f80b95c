# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Forgeries of real entries, each detected by the addon's verification and by the
independent verifier of docs/ (which must agree on the first broken entry)."""
import random
import subprocess
import sys

import psycopg2

import odoo
from odoo.tools import mute_logger

from ..lib import hashchain
from ..sql import audit_trail as audit_sql
from .audit_forge import VERIFIER, Forger, independent_verifier
from .test_audit_trail import AuditCase

ODD_TEXT = ["", " ", "\"", "\\", "/", "\\\"", "\x01\x1f\x7f", "\b\f\n\r\t", "é\u00a0ü",
            "\u2028\u2029", "\ufeff", "\uffff", "\U0001F600", "e\u0301", "<&'>", "{}[]:,",
            "$datetime", "null", "1e400", "\\u0000"]


def random_text(rnd):
    """Any Unicode text PostgreSQL stores: no NUL, no lone surrogates."""
    chars = []
    for _ in range(rnd.randint(0, 40)):
        code = rnd.choice((rnd.randint(1, 0x7f), rnd.randint(0x80, 0xd7ff),
                           rnd.randint(0xe000, 0xffff), rnd.randint(0x10000, 0x10ffff)))
        chars.append(chr(code))
    return "".join(chars)


def libpq_quoted(value):
    return "'%s'" % str(value).replace("\\", "\\\\").replace("'", "\\'")


class TestAuditForgery(AuditCase):

    @classmethod
    def setUpClass(cls):
        super(TestAuditForgery, cls).setUpClass()
        # real entries: a receipt, two productions, a verification run in between
        cls.receive_components(cls)
        cls.build_pcbs(cls, [("P1", [("C1", 2)], "M1"), ("P2", [("C2", 2)], "M2")])
        cls.first_run = cls.env["serial.audit.verify"].sudo(cls.manager).create({})
        cls.seen = cls.first_run.head_sequence
        cls.build_pcbs(cls, [("P3", [("C1", 2)], "M3")])
        cls.verifier = independent_verifier()

    def setUp(self):
        super(TestAuditForgery, self).setUp()
        self.forge = Forger(self.env.cr)

    def verdicts(self):
        """The independent verifier's verdict, then the addon's, on the same trail."""
        independent = self.verifier.verify(self.env.cr._cnx)
        run = self.env["serial.audit.verify"].sudo(self.manager).create({})
        return independent, run

    def assert_detected(self, sequence, words):
        independent, run = self.verdicts()
        self.assertEqual(run.state, "broken", run.message)
        self.assertEqual(run.broken_sequence, sequence, run.message)
        self.assertIn(words, run.message)
        self.assertFalse(independent["ok"])
        self.assertEqual(independent["problems"][0][0], sequence, independent["problems"])
        return independent, run

    def test_the_real_trail_is_intact_for_both(self):
        self.assertEqual(self.first_run.state, "intact", self.first_run.message)
        self.assertGreater(self.forge.head()[0], self.seen + 2)
        independent, run = self.verdicts()
        self.assertTrue(independent["ok"], independent["problems"])
        self.assertEqual(run.state, "intact", run.message)
        self.assertEqual(independent["head"], (run.head_sequence, run.head_hash))
        self.assertEqual(independent["count"], run.entry_count)
        self.assertEqual(run.previous_run_id, self.first_run)
        self.assertIn("still holds every head", run.message)
        self.assertIn("no. %d" % self.seen, run.message)

    def test_modified_payload(self):
        self.forge.set_payload(self.seen - 3, '{"qty_done":1.0}')
        self.assert_detected(self.seen - 3, "does not match its hash")

    def test_recomputed_hash(self):
        self.forge.set_payload(self.seen - 3, '{"qty_done":1.0}')
        self.forge.recompute_hash(self.seen - 3)
        independent, _run = self.assert_detected(self.seen - 2, "link")
        self.assertEqual(independent["problems"][0][1], "link")

    def test_deleted_middle_row(self):
        self.forge.delete("sequence = %s", (self.seen - 3,))
        self.assert_detected(self.seen - 2, "link")

    def test_reordered_rows(self):
        self.forge.swap(self.seen - 4, self.seen - 3)
        self.assert_detected(self.seen - 4, "link")

    @mute_logger("odoo.sql_db")
    def test_appended_row_with_a_correct_hash(self):
        """Refused with the triggers on; with them off (the owner), it must still be
        numbered, chained and hashed exactly, and only anchors bound that (docs)."""
        before = self.forge.head()
        with self.assertRaises(psycopg2.Error), self.env.cr.savepoint():
            self.forge.copy_last_as_new()
        self.assertEqual(self.forge.head(), before)
        # a well-formed row with a number out of turn is caught by both
        with self.forge.triggers_off():
            self.forge.copy_last_as_new(sequence=before[0] + 2)
        independent, _run = self.assert_detected(before[0] + 2, "number does not follow")
        self.assertEqual(independent["problems"][0][1], "number")

    def test_tail_truncation(self):
        self.forge.delete("sequence > %s", (self.seen - 2,))
        independent, run = self.assert_detected(self.seen, "removed from the end")
        self.assertEqual(independent["problems"][0][1], "truncated")
        self.assertIn("ends at no. %d" % (self.seen - 2), run.message)

    def test_rehashed_tail(self):
        self.forge.set_payload(self.seen - 4, '{"qty_done":1.0}')
        self.forge.rehash_from(self.seen - 4)
        self.assertTrue(self.Entry._verify_chain()["ok"], "the chain alone cannot tell")
        independent, _run = self.assert_detected(self.seen, "was rewritten")
        self.assertEqual(independent["problems"][0][1], "rewritten")
        # the runs keep saying so: the evidence does not go away
        self.assertEqual(self.verdicts()[1].state, "broken")

    def test_database_and_documented_hashes_agree_on_odd_text(self):
        """The SQL canonical text (what the insert trigger checks) is byte for byte
        lib/hashchain's and the independent verifier's, on text chosen to differ."""
        rnd = random.Random(14)
        texts = ODD_TEXT + [random_text(rnd) for _ in range(300)]
        rows = [self.Entry._audit_row(self.env.user, text or "x", {"v": (None, text)},
                                      reason=text, res_name=text) for text in texts]
        entries = self.Entry._log_rows(rows)
        self.assertEqual(len(entries), len(texts))
        self.env.cr.execute("""
            SELECT convert_to(serial_audit_canonical(e), 'UTF8'), e.sequence
              FROM serial_audit_entry e WHERE e.id IN %s ORDER BY e.sequence""",
                            (tuple(entries.ids),))
        for database_bytes, sequence in self.env.cr.fetchall():
            _row_id, values, _prev, _hash = self.forge.row(sequence)
            documented = hashchain.canonical(audit_sql.hashed_content(values))
            self.assertEqual(bytes(database_bytes), documented)
            row = dict(values, timestamp=values["timestamp"].isoformat(
                timespec="microseconds"))
            self.assertEqual(self.verifier.canonical(row), documented)
        self.assertTrue(self.Entry._verify_chain()["ok"])
        self.assertTrue(self.verifier.verify(self.env.cr._cnx)["ok"])

    def test_standalone_script_on_the_committed_trail(self):
        """The script as an auditor runs it: its own process, only psycopg2."""
        _db, info = odoo.sql_db.connection_info_for(self.env.cr.dbname)
        dsn = " ".join("%s=%s" % (key.replace("database", "dbname"), libpq_quoted(value))
                       for key, value in sorted(info.items()) if value)
        done = subprocess.run([sys.executable, VERIFIER, "--dsn", dsn], timeout=300,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True)
        with self.registry.cursor() as fresh:
            fresh.execute(audit_sql.COMMITTED_HEAD)
            committed = fresh.fetchone() or (0, hashchain.GENESIS)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("intact", done.stdout)
        self.assertIn("last entry no. %d, hash %s" % committed, done.stdout)

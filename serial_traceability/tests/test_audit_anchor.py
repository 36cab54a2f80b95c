# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Anchors: a signed verification run's head exported as a file (and mail), and
verification against that file, which proves what the trail held even when the
stored heads in the database were forged along with the trail."""
import base64
import hashlib
import json
import os
import tempfile

from odoo.exceptions import AccessError, UserError

from .audit_forge import Forger, independent_verifier
from .test_audit_trail import AuditCase

PASSWORD = "qm-Anchor-1"


class TestAuditAnchor(AuditCase):

    @classmethod
    def setUpClass(cls):
        super(TestAuditAnchor, cls).setUpClass()
        cls.manager.write({"password": PASSWORD})
        cls.receive_components(cls)
        cls.build_pcbs(cls, [("P1", [("C1", 2)], "M1")])
        cls.Verify = cls.env["serial.audit.verify"]
        cls.anchored = cls.Verify.sudo(cls.manager).create({})
        cls.build_pcbs(cls, [("P2", [("C2", 2)], "M2")])
        cls.verifier = independent_verifier()

    def sign(self, run):
        context = run.sudo(self.manager).action_request_signature()["context"]
        self.env["serial.sign.wizard"].sudo(self.manager).with_context(**context).create(
            {"meaning": "review", "password": PASSWORD}).action_sign()
        self.assertEqual(run.signature_state, "valid")

    def export(self, run, user=None, **vals):
        action = run.sudo(user or self.manager).action_export_anchor()
        wizard = self.env[action["res_model"]].sudo(user or self.manager).with_context(
            **action["context"]).create(vals)
        return wizard.action_export()

    def anchor_file(self, run):
        self.sign(run)
        action = self.export(run, email_to="qa-archive@example.org")
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3]
                                                          .split("?")[0]))
        return attachment, base64.b64decode(attachment.datas)

    def check(self, data, name="anchor.json", user=None):
        wizard = self.env["serial.audit.anchor.check"].sudo(user or self.manager).create(
            {"anchor_file": base64.b64encode(data), "anchor_filename": name})
        return self.Verify.browse(wizard.action_check()["res_id"])

    def independent(self, data):
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            handle.write(data)
        try:
            number, digest = self.verifier.read_anchor(handle.name)
            return self.verifier.verify(self.env.cr._cnx, [(handle.name, number, digest)])
        finally:
            os.unlink(handle.name)

    def test_export_writes_a_readable_signed_file_mails_and_logs_it(self):
        attachment, data = self.anchor_file(self.anchored)
        doc = json.loads(data.decode())
        self.assertEqual(doc["head"]["sequence"], self.anchored.head_sequence)
        self.assertEqual(doc["head"]["hash"], self.anchored.head_hash)
        self.assertEqual(doc["verification"]["result"], "intact")
        self.assertEqual(doc["signatures"][0]["printed_name"], self.manager.name)
        self.assertEqual(doc["signatures"][0]["meaning"], "review")
        self.assertEqual(doc["signatures"][0]["content_hash"],
                         self.anchored.signature_ids.content_hash)
        self.assertEqual(doc["database_uuid"], self.env["ir.config_parameter"].sudo()
                         .get_param("database.uuid"))
        self.assertIn(b'\n  "head": {\n', data, "indented for a person to read")
        self.assertEqual((attachment.res_model, attachment.res_id),
                         ("serial.audit.verify", self.anchored.id))
        mail = self.env["mail.mail"].search([("attachment_ids", "in", attachment.ids)])
        self.assertEqual(mail.email_to, "qa-archive@example.org")
        self.assertIn("no. %d" % self.anchored.head_sequence, mail.subject)
        logged = self.entries(self.anchored, "anchor")
        self.assertEqual(logged.user_id, self.manager)
        new = json.loads(logged.new_value)
        self.assertEqual(new["file_sha256"], hashlib.sha256(data).hexdigest())
        self.assertEqual(new["mailed_to"], "qa-archive@example.org")

    def test_refusals_write_nothing(self):
        before = (self.env["ir.attachment"].search_count([]), self.Entry.search_count([]))
        with self.assertRaises(UserError):
            self.export(self.anchored)  # not signed
        self.sign(self.anchored)
        with self.assertRaises(UserError):
            self.export(self.anchored, email_to="not an address")
        for user in (self.stock_user, self.trace_user):
            with self.assertRaises(AccessError):
                self.export(self.anchored, user=user)
            with self.assertRaises(AccessError):
                self.check(b"{}", user=user)
        for data in (b"", b"\xff\xfe", b"[1, 2]", b'{"kind": "other"}',
                     json.dumps({"kind": "serial_traceability audit trail anchor",
                                 "anchor_format": 1, "head": {"sequence": 3,
                                                              "hash": "XYZ"}}).encode(),
                     b" " * (70 * 1024)):
            with self.assertRaises(UserError):
                self.check(data)
        # signing left its entry; nothing else was written
        self.assertEqual((self.env["ir.attachment"].search_count([]),
                          self.Entry.search_count([])), (before[0], before[1] + 1))

    def test_anchor_from_another_database_is_refused(self):
        _attachment, data = self.anchor_file(self.anchored)
        doc = json.loads(data.decode())
        doc["database_uuid"] = "another-database"
        with self.assertRaises(UserError):
            self.check(json.dumps(doc).encode())

    def test_intact_trail_holds_its_anchor(self):
        _attachment, data = self.anchor_file(self.anchored)
        checked = self.check(data, name="kept.json")
        self.assertEqual(checked.state, "intact", checked.message)
        self.assertEqual((checked.anchor_sequence, checked.anchor_hash),
                         (self.anchored.head_sequence, self.anchored.head_hash))
        self.assertIn("It holds the anchor kept.json", checked.message)
        self.assertTrue(self.independent(data)["ok"])

    def test_anchor_catches_a_rehash_that_also_forged_the_stored_heads(self):
        _attachment, data = self.anchor_file(self.anchored)
        seen = self.anchored.head_sequence
        forge = Forger(self.env.cr)
        forge.set_payload(seen - 2, '{"qty_done":1.0}')
        forge.rehash_from(seen - 2)
        forge.forge_stored_heads()
        self.assertEqual(self.Verify.sudo(self.manager).create({}).state, "intact",
                         "inside the database nothing is left to compare with")
        checked = self.check(data)
        self.assertEqual((checked.state, checked.broken_sequence), ("broken", seen))
        self.assertIn("the trail was rewritten", checked.message)
        independent = self.independent(data)
        self.assertFalse(independent["ok"])
        self.assertEqual(independent["problems"][0][:2], (seen, "anchor"))

    def test_anchor_catches_a_truncation_that_also_forged_the_stored_heads(self):
        _attachment, data = self.anchor_file(self.anchored)
        seen = self.anchored.head_sequence
        forge = Forger(self.env.cr)
        # the signature's and the export's entries name the trail: cut before them
        # (the releases of the demo's units, older than the anchor, keep theirs)
        with forge.triggers_off("serial_signature"):
            self.env.cr.execute("""
                DELETE FROM serial_signature s
                 WHERE NOT EXISTS (SELECT 1 FROM stock_production_lot l
                                    WHERE l.release_signature_id = s.id)
                   AND NOT EXISTS (SELECT 1 FROM serial_release r
                                    WHERE r.signature_id = s.id)""")
        forge.delete("sequence > %s", (seen - 1,))
        forge.forge_stored_heads()
        checked = self.check(data)
        self.assertEqual((checked.state, checked.broken_sequence), ("broken", seen))
        self.assertIn("no longer has", checked.message)
        independent = self.independent(data)
        self.assertEqual(independent["problems"][0][:2], (seen, "anchor"))

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

import psycopg2

from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger

from ..lib import hashchain
from .test_audit_trail import AuditCase

PASSWORD = "qm-Secret-1"


class TestSignature(AuditCase):
    """Signing a verification run: a real signable record of this addon (quality
    events and recalls use the same mixin and wizard)."""

    @classmethod
    def setUpClass(cls):
        super(TestSignature, cls).setUpClass()
        cls.manager.write({"password": PASSWORD})
        cls.Signature = cls.env["serial.signature"]
        cls.check_run = cls.env["serial.audit.verify"].sudo(cls.manager).create({})

    def wizard(self, user, record, **vals):
        context = record.sudo(user).action_request_signature()["context"]
        return self.env["serial.sign.wizard"].sudo(user).with_context(**context).create(vals)

    def sign(self, record=None, user=None, **vals):
        vals.setdefault("meaning", "review")
        vals.setdefault("password", PASSWORD)
        self.wizard(user or self.manager, record or self.check_run, **vals).action_sign()
        return (record or self.check_run).signature_ids[:1]

    def counts(self):
        return (self.Signature.search_count([]), self.Entry.search_count([]))

    def test_signature_shows_name_time_meaning_and_hash(self):
        self.assertEqual(self.check_run.signature_state, "unsigned")
        wizard = self.wizard(self.manager, self.check_run, meaning="review", password=PASSWORD,
                             reason="Monthly check")
        self.assertEqual(wizard.record_name, self.check_run.display_name)
        wizard.action_sign()
        self.assertFalse(wizard.password, "the clear password is not kept")
        sig = self.check_run.signature_ids
        self.assertEqual(len(sig), 1)
        self.assertEqual(sig.signer_id, self.manager)
        self.assertEqual(sig.signer_name, self.manager.name)
        self.assertEqual(sig.meaning, "review")
        self.assertEqual(sig.reason, "Monthly check")
        self.assertEqual(self.check_run.signature_state, "valid")
        self.assertTrue(sig.valid)

        self.env.cr.execute("""SELECT signed_at, signed_at >= now() AT TIME ZONE 'UTC',
                                      signed_at <= clock_timestamp() AT TIME ZONE 'UTC'
                                 FROM serial_signature WHERE id = %s""", (sig.id,))
        signed_at, after_start, before_now = self.env.cr.fetchone()
        self.assertTrue(after_start and before_now, "database time of this transaction")
        self.assertEqual(sig.manifest_version, 2)
        expected = dict(self.check_run._signature_payload(), **{
            "$res_model": "serial.audit.verify", "$res_id": self.check_run.id,
            "$signer_id": self.manager.id, "$signer_name": self.manager.signing_name,
            "$signed_at": signed_at, "$meaning": "review", "$manifest": 2})
        self.assertEqual(sig.content_hash, hashchain.sign_content_hash(expected))

        entry = sig.audit_entry_id
        self.assertEqual((entry.action, entry.res_model, entry.res_id),
                         ("sign", "serial.audit.verify", self.check_run.id))
        self.assertEqual(entry.user_id, self.manager)
        self.assertEqual(entry.reason, "Monthly check")
        self.assertEqual(json.loads(entry.new_value)["content_hash"], sig.content_hash)
        self.assertTrue(self.Entry._verify_chain()["ok"])

    def test_wrong_password_or_missing_meaning_signs_nothing(self):
        """Nothing is signed; only the wrong password leaves its trace (11.300(d))."""
        before = self.counts()
        for vals in ({"meaning": "review", "password": "wrong"},
                     {"meaning": "review", "password": ""},
                     {"meaning": False, "password": PASSWORD},
                     {"meaning": "approval", "password": PASSWORD}):  # not for a run
            with self.assertRaises(UserError):
                self.wizard(self.manager, self.check_run, **vals).action_sign()
        self.assertEqual(self.counts(), (before[0], before[1] + 1))
        failed = self.entries(self.check_run, "sign_failed")
        self.assertEqual((len(failed), failed.user_id), (1, self.manager))
        self.assertEqual(self.check_run.signature_state, "unsigned")

    def test_password_is_the_signers_own(self):
        """The admin's password does not sign as the manager."""
        self.env.user.write({"password": "admin-Other-2"})
        with self.assertRaises(UserError):
            self.sign(password="admin-Other-2")
        self.assertFalse(self.check_run.signature_ids)

    def test_stock_and_traceability_users_cannot_sign_or_verify(self):
        for user in (self.stock_user, self.trace_user):
            user.write({"password": PASSWORD})
            with self.assertRaises(AccessError):
                self.sign(user=user)
            with self.assertRaises(AccessError):
                self.env["serial.audit.verify"].sudo(user).create({})
        self.assertFalse(self.check_run.signature_ids)

    def test_signature_breaks_when_content_changes(self):
        sig = self.sign()
        self.assertEqual(self.check_run.signature_state, "valid")
        # the ORM and a trigger refuse to change a run: change it as the table owner would
        self.env.cr.execute("ALTER TABLE serial_audit_verify DISABLE TRIGGER USER")
        self.env.cr.execute("UPDATE serial_audit_verify SET entry_count = entry_count + 1 "
                            "WHERE id = %s", (self.check_run.id,))
        self.env.cr.execute("ALTER TABLE serial_audit_verify ENABLE TRIGGER USER")
        self.check_run.invalidate_cache()
        self.assertEqual(self.check_run.signature_state, "broken")
        self.assertFalse(sig.valid)

    def test_signature_cannot_be_moved_to_another_record(self):
        sig = self.sign()
        other = self.env["serial.audit.verify"].sudo(self.manager).create({})
        with self.env.cr.savepoint():
            self.env.cr.execute("ALTER TABLE serial_signature "
                                "DISABLE TRIGGER serial_signature_no_change")
            self.env.cr.execute("UPDATE serial_signature SET res_id = %s WHERE id = %s",
                                (other.id, sig.id))
            self.env.cr.execute("ALTER TABLE serial_signature "
                                "ENABLE TRIGGER serial_signature_no_change")
            sig.invalidate_cache()
            other.invalidate_cache()
            self.assertEqual(other.signature_ids, sig)
            self.assertEqual(other.signature_state, "broken")

    @mute_logger("odoo.sql_db")
    def test_signatures_are_append_only(self):
        sig = self.sign()
        with self.assertRaises(UserError):
            sig.write({"meaning": "approval"})
        with self.assertRaises(UserError):
            sig.unlink()
        with self.assertRaises(UserError):
            self.Signature.create({"res_model": "serial.audit.verify", "res_id": self.check_run.id})
        for statement in ("UPDATE serial_signature SET meaning = 'approval' WHERE id = %s",
                          "DELETE FROM serial_signature WHERE id = %s",
                          "TRUNCATE serial_signature"):
            with self.assertRaises(psycopg2.Error), self.env.cr.savepoint():
                self.env.cr.execute(statement, (sig.id,))
        self.assertTrue(sig.exists())

    def test_only_signable_records_are_signed(self):
        lot = self.flow._lot(self.cap, "SIG-1")
        wizard = self.env["serial.sign.wizard"].sudo(self.manager).create({
            "res_model": "stock.production.lot", "res_id": lot.id, "meaning": "review",
            "password": PASSWORD})
        with self.assertRaises(UserError):
            wizard.action_sign()
        wizard = self.env["serial.sign.wizard"].sudo(self.manager).create({
            "res_model": "serial.audit.verify", "res_id": 10 ** 9, "meaning": "review",
            "password": PASSWORD})
        with self.assertRaises(UserError):
            wizard.action_sign()

    def test_signature_access_matrix(self):
        sig = self.sign()
        users = {"stock": self.stock_user, "trace": self.trace_user, "qm": self.manager,
                 "portal": self.portal_user, "other_company": self.other_manager}
        readers = {"trace", "qm"}
        for who, user in users.items():
            for operation in ("read", "create", "write", "unlink"):
                try:
                    with self.env.cr.savepoint():
                        if operation == "read":
                            sig.sudo(user).read(["signer_name", "content_hash"])
                        elif operation == "create":
                            self.Signature.sudo(user).create({"res_model": "x", "res_id": 1})
                        elif operation == "write":
                            sig.sudo(user).write({"reason": "x"})
                        else:
                            sig.sudo(user).unlink()
                    allowed = True
                except (AccessError, UserError):
                    allowed = False
                self.assertEqual(allowed, operation == "read" and who in readers,
                                 "serial.signature %s %s" % (who, operation))

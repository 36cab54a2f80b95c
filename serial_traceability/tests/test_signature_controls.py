# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Electronic signature controls (21 CFR Part 11 §11.50, §11.70, §11.200, §11.300).

The web client saves the signing dialog (``create`` with the typed values, one
request, committed) and then presses Sign (``action_sign``, another request, rolled
back when it raises). ``attempt`` does the same: the button runs in a savepoint that
a refusal rolls back, as the server does with a failed request.
"""
import datetime

from odoo.exceptions import AccessError, UserError

from ..lib import hashchain
from .quality_common import PASSWORDS, QualityCase
from .recall_common import QM_PASSWORD, RecallCase

QM_GROUP = "serial_traceability.group_quality_manager"
REFUSED = (AccessError, UserError)


class _Undo(Exception):
    """Rolls a tampering savepoint back."""


def _attempt(case, user, record, password, meaning="approval"):
    """Save the dialog, then press Sign; the refusal's message, or None once signed."""
    wizard = case.env["serial.sign.wizard"].sudo(user).create({
        "res_model": record._name, "res_id": record.id, "meaning": meaning,
        "password": password})
    try:
        with case.env.cr.savepoint():
            wizard.action_sign()
    except REFUSED as refusal:
        return refusal.name
    finally:
        record.invalidate_cache()
    return None


class TestSignatureControls(QualityCase):

    @classmethod
    def setUpClass(cls):
        super(TestSignatureControls, cls).setUpClass()
        cls.qm2 = cls._user("t_sig_qm2", [QM_GROUP])
        cls.plain = cls._user("t_sig_plain", ["base.group_user"])
        cls.user_admin = cls._user("t_sig_rights", ["base.group_user", "base.group_erp_manager",
                                                    "base.group_partner_manager"])
        cls.Entry = cls.env["serial.audit.entry"]

    def attempt(self, record, password, user=None, meaning="approval"):
        return _attempt(self, user or self.qm, record, password, meaning)

    def entries(self, action, user=None):
        return self.Entry.search([("action", "=", action),
                                  ("user_id", "=", (user or self.qm).id)], order="sequence")

    def assertNoWizardHolds(self, typed):
        cr = self.env.cr
        cr.execute("SELECT count(*) FROM information_schema.columns "
                   "WHERE table_name = 'serial_sign_wizard' AND column_name = 'password'")
        if cr.fetchone()[0]:
            cr.execute("SELECT count(*) FROM serial_sign_wizard "
                       "WHERE coalesce(password, '') <> ''")
            self.assertEqual(cr.fetchone()[0], 0, "the password column is empty")
        cr.execute("SELECT count(*) FROM serial_sign_wizard w WHERE strpos(w::text, %s) > 0",
                   (typed,))
        self.assertEqual(cr.fetchone()[0], 0, "no wizard row holds %r" % typed)

    # -- finding 5: the typed password is never stored ----------------------------------
    def test_typed_password_is_never_stored(self):
        u1, u2 = self.make_pumps(2)[:2]
        right = PASSWORDS[self.qm.login]
        event = self.new_event([u1])
        self.assertRegex(self.attempt(event, "Wrong-Guess-7"), "Wrong password")
        self.assertNoWizardHolds("Wrong-Guess-7")
        # the right password, the signing refused afterwards (a pass with a failed reading)
        failing = self.new_event([u2], measurements=(("Leakage", 0.5, "mA", "max", 0, 0.1),))
        self.assertRegex(self.attempt(failing, right), "out of its limits")
        self.assertNoWizardHolds(right)
        self.assertIsNone(self.attempt(event, right))
        self.assertEqual(event.state, "done")
        self.assertNoWizardHolds(right)

    def test_upgrade_drops_the_column_of_stored_passwords(self):
        cr = self.env.cr
        cr.execute("ALTER TABLE serial_sign_wizard ADD COLUMN IF NOT EXISTS password varchar")
        cr.execute("INSERT INTO serial_sign_wizard (res_model, res_id, password) "
                   "VALUES ('serial.quality.event', 1, 'Typed-Before-1')")
        self.env["serial.sign.wizard"].init()  # what -u runs
        self.assertNoWizardHolds("Typed-Before-1")
        cr.execute("SELECT count(*) FROM information_schema.columns "
                   "WHERE table_name = 'serial_sign_wizard' AND column_name = 'password'")
        self.assertEqual(cr.fetchone()[0], 0)

    def test_password_check_cannot_be_forged(self):
        event = self.new_event(self.make_pumps(1))
        Wizard = self.env["serial.sign.wizard"].sudo(self.qm)
        vals = {"res_model": event._name, "res_id": event.id, "meaning": "approval"}
        with self.assertRaises(REFUSED):
            Wizard.create(dict(vals, password_check="ok"))
        with self.assertRaises(REFUSED):
            Wizard.with_context(default_password_check="ok").create(vals)
        wizard = Wizard.create(dict(vals, password="Wrong-Guess-7"))
        with self.assertRaises(REFUSED):
            wizard.write({"password_check": "ok"})
        with self.assertRaisesRegex(UserError, "Wrong password"):
            wizard.action_sign()
        self.assertFalse(event.signature_ids)

    def test_dialog_retyped_after_a_wrong_password_signs_once(self):
        """The form's second try writes the retyped password on the saved dialog."""
        event = self.new_event(self.make_pumps(1))
        wizard = self.env["serial.sign.wizard"].sudo(self.qm).create({
            "res_model": event._name, "res_id": event.id, "meaning": "approval",
            "password": "Wrong-Guess-7"})
        with self.assertRaisesRegex(UserError, "Wrong password"), self.env.cr.savepoint():
            wizard.action_sign()
        wizard.write({"password": PASSWORDS[self.qm.login]})
        self.assertFalse(wizard.password, "not even the cache keeps it")
        wizard.action_sign()
        event.invalidate_cache()
        self.assertEqual((event.state, event.signature_state), ("done", "valid"))
        with self.assertRaisesRegex(UserError, "Enter your password"):
            wizard.action_sign()  # the check was used up by the signature
        view = self.env["serial.sign.wizard"].sudo(self.qm).fields_view_get(view_type="form")
        self.assertRegex(view["arch"], r'name="password"[^>]*password="True"')

    # -- finding 6: failed attempts recorded, then locked ---------------------------------
    def test_failed_attempt_is_recorded_as_the_person_who_tried(self):
        event = self.new_event(self.make_pumps(1))
        for user in (self.qm, self.trace_user):
            self.assertRegex(self.attempt(event, "Wrong-Guess-7", user=user), "Wrong password")
            failed = self.entries("sign_failed", user)
            self.assertEqual(len(failed), 1, "recorded although the Sign request failed")
            self.assertEqual((failed.res_model, failed.res_id), (event._name, event.id))
            self.assertEqual(failed.user_name, user.name)
            for text in (failed.old_value, failed.new_value, failed.reason or ""):
                self.assertNotIn("Wrong-Guess-7", text)
        self.assertTrue(self.Entry._verify_chain()["ok"])

    def test_lockout_after_repeated_failures_until_a_quality_manager_unlocks(self):
        company = self.env.user.company_id
        self.assertEqual((self.env["res.company"].create({"name": "T Defaults"})
                          .serial_sign_max_failures, company.serial_sign_failure_minutes),
                         (5, 15))
        company.serial_sign_max_failures = 3
        event = self.new_event(self.make_pumps(1))
        right = PASSWORDS[self.qm.login]
        self.assertRegex(self.attempt(event, "guess-1"), r"Wrong password.*1 of 3")
        self.assertRegex(self.attempt(event, "guess-2"), r"Wrong password.*2 of 3")
        self.assertRegex(self.attempt(event, "guess-3"), r"locked")
        refusal = self.attempt(event, right)  # even the right password
        self.assertRegex(refusal, r"locked")
        self.assertRegex(refusal, r"Quality Manager")
        self.assertEqual(event.state, "draft")
        self.assertFalse(event.signature_ids)
        self.assertEqual(len(self.entries("sign_failed")), 3)
        self.assertEqual(len(self.entries("sign_locked")), 1)
        self.assertEqual(len(self.entries("sign_refused")), 1)

        Lockout = self.env["serial.signature.lockout"]
        lock = Lockout.sudo(self.qm2).search([("user_id", "=", self.qm.id),
                                              ("state", "=", "locked")])
        self.assertEqual(len(lock), 1)
        told = self.env["mail.message"].sudo(self.qm2).search([
            ("model", "=", Lockout._name), ("res_id", "=", lock.id),
            ("partner_ids", "in", self.qm2.partner_id.ids)])
        self.assertEqual(len(told), 1, "the other Quality Managers are notified")
        self.assertIn(self.qm.signing_name, told.body)
        self.assertNotIn(self.qm.partner_id, told.partner_ids, "not the locked user")
        with self.assertRaises(REFUSED):
            lock.sudo(self.trace_user).action_unlock()
        with self.assertRaises(REFUSED):
            lock.sudo(self.qm).action_unlock()  # not one's own lock
        with self.assertRaises(REFUSED):
            lock.sudo(self.qm2).write({"state": "unlocked"})
        self.assertEqual(lock.state, "locked")

        lock.sudo(self.qm2).action_unlock()
        self.assertEqual((lock.state, lock.unlocked_by_id), ("unlocked", self.qm2))
        self.assertEqual(len(self.entries("sign_unlocked", self.qm2)), 1)
        # failures before the unlock no longer count
        self.assertRegex(self.attempt(event, "guess-4"), r"1 of 3")
        self.assertIsNone(self.attempt(event, right))
        self.assertEqual(event.state, "done")

    def test_failures_count_within_the_window_only(self):
        event = self.new_event(self.make_pumps(1))
        for guess in ("guess-1", "guess-2"):
            self.attempt(event, guess)
        user = self.qm.sudo(self.qm)
        self.assertEqual(user._serial_sign_failure_count(), 2)
        now = user._serial_db_now()
        minutes = self.env.user.company_id.serial_sign_failure_minutes
        self.assertEqual(user._serial_sign_failure_count(
            now + datetime.timedelta(minutes=minutes - 1)), 2)
        self.assertEqual(user._serial_sign_failure_count(
            now + datetime.timedelta(minutes=minutes + 1)), 0)

    # -- finding 7: the printed name --------------------------------------------------------
    def test_printed_name_is_the_administered_signing_name(self):
        signing_name = self.qm.signing_name
        self.assertEqual(signing_name, "t_quality_mgr", "frozen from the name at creation")
        self.qm.sudo(self.qm).write({"name": "Administrator"})  # users may rename themselves
        self.assertEqual(self.qm.signing_name, signing_name)
        event = self.approve(self.new_event(self.make_pumps(1)))
        self.assertEqual(event.signature_ids.signer_name, signing_name)
        self.assertEqual(self.entries("sign").res_id, event.id)
        self.assertIn(signing_name, self.entries("sign").new_value)
        self.assertNotIn("Administrator", event.signature_ids.signer_name)

    def test_only_an_administrator_changes_a_signing_name(self):
        for user, target in ((self.plain, self.plain), (self.qm, self.qm),
                             (self.qm, self.qm2), (self.trace_user, self.qm)):
            with self.assertRaises(AccessError):
                target.sudo(user).write({"signing_name": "Chief Inspector"})
        self.assertEqual(self.qm.signing_name, "t_quality_mgr")
        self.qm.sudo(self.user_admin).write({"signing_name": "Quinn Manager"})
        entry = self.Entry.search([("res_model", "=", "res.users"), ("res_id", "=", self.qm.id),
                                   ("field", "=", "signing_name")], order="sequence desc",
                                  limit=1)
        self.assertEqual(entry.user_id, self.user_admin)
        self.assertIn("Quinn Manager", entry.new_value)
        with self.assertRaises(UserError):
            self.qm.sudo(self.user_admin).write({"signing_name": "  "})
        event = self.approve(self.new_event(self.make_pumps(1)))
        self.assertEqual(event.signature_ids.signer_name, "Quinn Manager")
        # the users form sends its empty field when an administrator creates a user
        Users = self.env["res.users"].sudo(self.user_admin).with_context(no_reset_password=True)
        new = Users.create({"name": "Nora New", "login": "t_sig_new", "signing_name": False})
        self.assertEqual(new.signing_name, "Nora New")
        named = Users.create({"name": "Ned", "login": "t_sig_named",
                              "signing_name": "Edward N. Example"})
        self.assertEqual(named.signing_name, "Edward N. Example")
        with self.assertRaises(AccessError):
            self.env["res.users"].sudo(self.qm).create(
                {"name": "X", "login": "t_sig_x", "signing_name": "X"})

    def test_signing_name_frozen_at_first_signature_when_missing(self):
        """A user from before the signing name existed gets it at their first signature."""
        self.env.cr.execute("UPDATE res_users SET signing_name = NULL WHERE id = %s",
                            (self.qm.id,))
        self.qm.invalidate_cache()
        self.qm.sudo(self.qm).write({"name": "Quentin M."})
        event = self.approve(self.new_event(self.make_pumps(1)))
        self.assertEqual(event.signature_ids.signer_name, "Quentin M.")
        self.qm.sudo(self.qm).write({"name": "Administrator"})
        self.qm.invalidate_cache()
        self.assertEqual(self.qm.signing_name, "Quentin M.")

    # -- finding 16: renames keep a signature valid, changed values break it ----------------
    def test_renames_keep_the_approval_valid_changed_values_break_it(self):
        u1, u2 = self.make_pumps(2)[:2]
        event = self.approve(self.new_event([u1], description="Final test"))
        signature = event.signature_ids
        self.assertEqual(event.signature_state, "valid")
        u1.sudo().write({"name": "U1-RELABELLED"})
        self.pump.sudo().write({"name": "Infusion pump mk II"})
        self.trace_user.sudo(self.trace_user).write({"name": "Someone Else"})  # responsible
        self.env.user.company_id.write({"name": "Renamed Company"})
        event.invalidate_cache()
        signature.invalidate_cache()
        self.assertEqual(event.user_id, self.trace_user)
        self.assertEqual(event.signature_state, "valid", "renames do not change what was signed")

        cr = self.env.cr
        for statement, params in (
                ("UPDATE serial_quality_event SET result = 'conditional' WHERE id = %s",
                 (event.id,)),
                ("UPDATE serial_quality_measurement SET value = value + 0.01 "
                 "WHERE event_id = %s", (event.id,)),
                ("INSERT INTO serial_quality_event_lot_rel (event_id, lot_id) VALUES (%s, %s)",
                 (event.id, u2.id)),
                ("UPDATE serial_quality_event SET user_id = %s WHERE id = %s",
                 (self.qm.id, event.id))):
            with self.assertRaises(_Undo), cr.savepoint():
                cr.execute(statement, params)
                event.invalidate_cache()
                signature.invalidate_cache()
                self.assertEqual(event.signature_state, "broken", statement)
                raise _Undo()
            event.invalidate_cache()
            signature.invalidate_cache()
            self.assertEqual(event.signature_state, "valid")

    def test_signature_of_the_previous_manifest_still_verifies(self):
        """Signatures made before manifest version 2 (display names) stay checkable."""
        u1 = self.make_pumps(1)[0]
        event = self.approve(self.new_event([u1]))
        self.env.cr.execute("SELECT clock_timestamp() AT TIME ZONE 'UTC'")
        signed_at = self.env.cr.fetchone()[0]
        legacy = {  # what the first manifest signed: names read from the records
            "model": event._name, "id": event.id, "name": event.name,
            "company": event.company_id.name, "kind": event.kind,
            "result": event.result or None, "date": event.date,
            "lots": ", ".join(sorted(event.lot_ids.mapped("name"))),
            "product": event.product_id.display_name or None,
            "production": None, "picking": None, "responsible": event.user_id.name,
            "description": None,
            "measurements": "\n".join(m._as_text() for m in event.measurement_ids),
            "certificates": "", "amends": None, "covered": bool(event.covered),
            "$res_model": event._name, "$res_id": event.id, "$signer_id": self.qm.id,
            "$signer_name": "Q. Legacy", "$signed_at": signed_at, "$meaning": "review"}
        self.env.cr.execute(
            "INSERT INTO serial_signature (res_model, res_id, record_name, signer_id, "
            "signer_name, signed_at, meaning, content_hash, company_id) "
            "VALUES (%s, %s, %s, %s, %s, %s, 'review', %s, %s) RETURNING id",
            (event._name, event.id, event.name, self.qm.id, "Q. Legacy", signed_at,
             hashchain.sign_content_hash(legacy), event.company_id.id))
        old = self.env["serial.signature"].browse(self.env.cr.fetchone()[0])
        self.assertTrue(old.valid, "the first manifest is still verified as it was signed")
        event.invalidate_cache()
        self.assertEqual(event.signature_state, "valid")
        u1.sudo().write({"name": "U1-RELABELLED"})
        event.invalidate_cache()
        old.invalidate_cache()
        self.assertFalse(old.valid, "the first manifest signed the lot's name")
        self.assertTrue((event.signature_ids - old).valid)


class TestRecallSignatureManifest(RecallCase):

    def test_closing_signature_survives_renames(self):
        u1, _u2 = self.build_two_pumps()
        self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        c1 = self.lot(self.cap, "C1")
        recall = self.create_recall(c1)
        recall.action_open()
        # U1 is still at its customer: the closing says why (issue 18)
        recall.write({"closing_note": "Customer destroys the unit on site."})
        self.assertIsNone(_attempt(self, self.qm, recall, QM_PASSWORD))
        self.assertEqual((recall.state, recall.signature_state), ("closed", "valid"))
        c1.sudo().write({"name": "C1-RELABELLED"})
        self.customer_a.write({"name": "Hospital A (renamed)"})
        recall.invalidate_cache()
        self.assertEqual(recall.signature_state, "valid")
        self.env.cr.execute("UPDATE serial_recall SET reason = reason || '!' WHERE id = %s",
                            (recall.id,))
        recall.invalidate_cache()
        self.assertEqual(recall.signature_state, "broken")

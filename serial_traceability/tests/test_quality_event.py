# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.exceptions import AccessError, ValidationError

from .quality_common import QualityCase


class TestQualityEvent(QualityCase):

    def test_lifecycle_draft_to_signed_approval(self):
        u1, _u2, _u3 = self.make_pumps()
        event = self.new_event([u1])
        self.assertRegex(event.name, r"^QE/\d{4}/\d{4}$")
        self.assertEqual(event.state, "draft")
        self.assertEqual(event.product_id, self.pump, "product taken from the single lot")
        self.assertEqual(event.company_id, self.env.user.company_id)
        self.assertTrue(all(event.measurement_ids.mapped("passed")))
        event.write({"description": "Final test, station 2"})  # drafts stay editable

        self.approve(event)
        self.assertEqual(event.state, "done")
        self.assertEqual(event.approved_by_id, self.qm)
        self.assertEqual(event.signature_state, "valid")
        signature = event.signature_ids
        self.assertEqual(len(signature), 1)
        self.assertEqual((signature.meaning, signature.signer_name), ("approval", self.qm.name))
        self.assertEqual(u1.quality_state, "passed")
        self.assertIn(event, u1.quality_event_ids)
        entries = self.env["serial.audit.entry"].search(
            [("res_model", "=", event._name), ("res_id", "=", event.id)])
        self.assertEqual(set(entries.mapped("action")), {"create", "write", "sign"})
        self.assertIn(event, self.env["serial.quality.event"].sudo(self.stock_user).search(
            [("lot_ids", "in", u1.ids)]), "stock users read events")

    def test_report_shows_readings_certificates_and_signature(self):
        u1 = self.make_pumps(1)[0]
        event = self.new_event([u1])
        report_file = self.env["ir.attachment"].create({
            "name": "CoC-U1.txt", "datas_fname": "CoC-U1.txt", "datas": "Q29D",
            "res_model": event._name, "res_id": event.id})
        event.sudo(self.trace_user).attachment_ids = [(6, 0, report_file.ids)]
        self.approve(event)
        report = self.env.ref("serial_traceability.serial_quality_event_pdf_report")
        html = report.sudo(self.trace_user).render_qweb_html(event.ids)[0].decode()
        for text in (event.name, "U1", "Flow rate", "CoC-U1.txt", self.qm.name, "Approval"):
            self.assertIn(text, html)
        self.assertNotIn("changed after it was signed", html)

    def test_stock_user_opens_the_event_form(self):
        """Stock users read events (signatures are for traceability users)."""
        event = self.approve(self.new_event(self.make_pumps(1)))
        as_stock = event.sudo(self.stock_user)
        view = as_stock.fields_view_get(view_type="form")
        self.assertNotIn("signature_ids", view["fields"])
        values = as_stock.read(list(view["fields"]))[0]
        self.assertEqual(values["state"], "done")

    def test_measurement_limits_and_result(self):
        u1 = self.make_pumps(1)[0]
        event = self.new_event([u1], measurements=[
            ("Flow rate", 110.0, "%", "range", 95.0, 105.0),
            ("Pressure", -3.0, "kPa", "min", -5.0, 0.0),
            ("Leakage", 0.2, "mA", "max", 0.0, 0.1),
            ("Firmware build", 42.0, "", "none", 0.0, 0.0)])
        self.assertEqual(event.measurement_ids.mapped("passed"), [False, True, False, True])
        with self.assertRefused("Flow rate.*out of its limits"):
            event.sudo(self.qm).action_approve()
        with self.assertRefused("Flow rate"):
            self.sign(event)
        self.assertEqual(event.state, "draft")
        event.sudo(self.trace_user).result = "fail"
        self.approve(event)
        self.assertEqual(event.state, "done")

    def test_approved_event_is_frozen(self):
        u1, u2, _u3 = self.make_pumps()
        event = self.approve(self.new_event([u1]))
        for user in (self.trace_user, self.qm):
            as_user = event.sudo(user)
            for vals in ({"description": "rewritten"}, {"result": "fail"},
                         {"lot_ids": [(4, u2.id)]}, {"date": "2020-01-01 00:00:00"}):
                with self.assertRefused("is approved and can no longer"):
                    as_user.write(vals)
            with self.assertRefused("is approved"):
                as_user.measurement_ids[0].value = 1.0
            with self.assertRefused("is approved"):
                as_user.measurement_ids[0].unlink()
            with self.assertRefused("is approved"):
                self.env["serial.quality.measurement"].sudo(user).create(
                    {"event_id": event.id, "parameter": "Extra", "value": 1.0})
        with self.assertRefused("is approved"):
            event.sudo(self.qm).unlink()
        # the discussion goes on: chatter stays usable
        event.sudo(self.trace_user).message_post(body="Customer asked for a copy.")
        self.assertEqual(event.signature_state, "valid")
        self.assertEqual(event.description, False)

    def test_state_moves_only_by_signature(self):
        event = self.new_event(self.make_pumps(1))
        with self.assertRefused("electronic signature"):
            event.sudo(self.qm).write({"state": "done"})

    def test_amend_creates_linked_draft(self):
        u1 = self.make_pumps(1)[0]
        original = self.approve(self.new_event([u1], kind="inspection", result="conditional"))
        self.assertEqual(u1.quality_state, "conditional")
        action = original.sudo(self.trace_user).action_amend()
        amendment = self.env["serial.quality.event"].browse(action["res_id"])
        self.assertEqual(amendment.state, "draft")
        self.assertEqual(amendment.amends_event_id, original)
        self.assertNotEqual(amendment.name, original.name)
        self.assertEqual(amendment.lot_ids, u1)
        self.assertEqual(len(amendment.measurement_ids), len(original.measurement_ids))
        self.assertEqual(original.amended_by_ids, amendment)
        amendment.sudo(self.trace_user).write({"result": "pass",
                                               "description": "Re-measured"})
        self.approve(amendment)
        self.assertEqual(u1.quality_state, "passed", "the approved amendment replaces it")
        self.assertEqual((original.state, original.result), ("done", "conditional"))
        self.assertEqual(original.signature_state, "valid")
        with self.assertRefused("only approved events are amended"):
            self.new_event([u1]).action_amend()
        with self.assertRefused("Only an approved event can be amended"):
            self.new_event([u1], amends_event_id=self.new_event([u1]).id)

    def test_stock_user_cannot_approve(self):
        event = self.new_event(self.make_pumps(1))
        self.stock_user.password = "stock-pw-1"
        with self.assertRaises(AccessError):
            event.sudo(self.stock_user).action_approve()
        with self.assertRaises(AccessError):
            self.sign(event, self.stock_user, password="stock-pw-1")
        with self.assertRaises(AccessError):
            self.sign(event, self.trace_user)
        with self.assertRaises(AccessError):
            self.env["serial.quality.event"].sudo(self.stock_user).create(
                {"kind": "note", "description": "x"})
        with self.assertRaises(AccessError):
            event.sudo(self.stock_user).write({"description": "x"})
        self.assertEqual(event.state, "draft")
        self.assertFalse(event.signature_ids)

    def test_signing_refused_without_password_or_meaning(self):
        event = self.new_event(self.make_pumps(1))
        with self.assertRefused("Wrong password"):
            self.sign(event, password="not-my-password")
        with self.assertRefused("signature means"):
            self.sign(event, meaning=False)
        self.assertEqual(event.state, "draft")
        self.assertFalse(event.signature_ids)

    def test_review_signature_keeps_the_draft(self):
        event = self.new_event(self.make_pumps(1))
        self.sign(event, meaning="review")
        self.assertEqual(event.state, "draft")
        self.assertEqual(event.signature_ids.meaning, "review")
        self.approve(event)
        self.assertEqual(event.state, "done")
        self.assertEqual(sorted(event.signature_ids.mapped("meaning")), ["approval", "review"])

    def test_only_managers_delete_and_only_drafts(self):
        u1 = self.make_pumps(1)[0]
        draft = self.new_event([u1])
        with self.assertRaises(AccessError):
            draft.sudo(self.trace_user).unlink()
        draft.sudo(self.qm).unlink()
        self.assertFalse(draft.exists())

    def test_event_lots_must_match_its_product(self):
        u1 = self.make_pumps(1)[0]
        with self.assertRefused("is not of product", ValidationError):
            self.new_event([u1, self.lot(self.pcb, "P1")], product_id=self.pump.id)
        mixed = self.new_event([u1, self.lot(self.pcb, "P1")])
        self.assertFalse(mixed.product_id)

    def test_approved_events_in_unit_history(self):
        u1 = self.make_pumps(1)[0]
        draft = self.new_event([u1])
        History = self.env["serial.unit.history"]
        self.assertFalse(History.search([("lot_id", "=", u1.id),
                                         ("res_model", "=", draft._name)]))
        self.approve(draft)
        rows = History.sudo(self.stock_user).search(
            [("lot_id", "=", u1.id), ("res_model", "=", draft._name)])
        self.assertEqual(rows.mapped("reference"), [draft.name])
        self.assertEqual(rows.event_type, "quality")
        self.assertTrue(re.search(r"Test · pass", rows.description))
        other = self._user("t_other_co_qm", ["serial_traceability.group_quality_manager"],
                           company=self.env["res.company"].create({"name": "T Other Co"}))
        self.assertFalse(History.sudo(other).search([("res_model", "=", draft._name)]),
                         "another company does not see our events in unit histories")

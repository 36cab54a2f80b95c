# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Controls that hold (issue 14): what an RPC caller may put in the context does not
open a guarded write, and bad input gets a sentence, not a server error.

Each attempt runs as the role that found it, through the ORM with the context an
RPC call can send (JSON: strings, numbers, booleans, null, lists, dicts)."""
import uuid

from odoo.exceptions import AccessError, UserError
from odoo.http import serialize_exception

from ..models.serial_guard import GUARD_KEY
from .quality_common import QualityCase
from . import test_serial_generation_race

FAILING = [("Flow rate", 120.0, "%", "range", 95.0, 105.0)]
# What an RPC client may send for the guard's key (and the old keys).
FORGED_CONTEXTS = ({"serial_hold_change": True}, {"serial_quality_approving": True},
                   {GUARD_KEY: True}, {GUARD_KEY: "serial_guard"}, {GUARD_KEY: {}})
UNIT_COLUMNS = {"customer_id", "unit_state", "current_location_id", "ship_date",
                "delivery_picking_id", "supplier_id", "production_id", "quality_state",
                "warranty_start", "warranty_end"}
NOT_NUMBERS = ("abc", "1,5", "NaN", "nan", "inf", "-Infinity", "1e400", "", " ",
               float("nan"), float("inf"), [1], {"v": 1}, True)


class TestControls(QualityCase):

    def refused(self, call, exception=(UserError, AccessError)):
        """``call()`` raises one of ``exception``; the cache forgets what it wrote."""
        with self.assertRaises(exception):
            with self.env.cr.savepoint():
                call()
        self.env.cache.invalidate()

    # -- 1: a hold is lifted only by an approved release ------------------------
    def test_inventory_user_cannot_lift_a_hold_by_context(self):
        u1 = self.make_pumps(1)[0]
        self.approve(self.new_event([u1], result="fail", measurements=FAILING))
        lot = u1.sudo(self.stock_user)
        for context in FORGED_CONTEXTS:
            self.refused(lambda c=context: lot.with_context(**c).write({"quality_hold": False}))
            self.refused(lambda c=context: lot.with_context(**c).write(
                {"hold_reason": "fine", "hold_event_id": False}))
        self.assertTrue(u1.quality_hold)
        self.assertEqual(u1.unit_state, "quarantined")
        self.refused(lambda: self.env["stock.production.lot"].sudo(self.stock_user)
                     .with_context(serial_hold_change=True).create(
                         {"name": "U9", "product_id": self.pump.id, "quality_hold": True,
                          "hold_source": "Recall RC/forged"}))
        stock_flow = self.flow.sudo(self.stock_user)
        with self.assertRefused("Cannot ship"):
            stock_flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        # the way out: a release event, approved by a Quality Manager's signature
        release = self.new_event([u1], kind="release", result=False, measurements=[],
                                 description="Retested")
        self.approve(release)
        self.assertFalse(u1.quality_hold)
        self.assertEqual(stock_flow._deliver(self.customer_a, [(self.pump, 1, u1)]).state,
                         "done")

    def test_hold_still_set_by_events_and_recalls(self):
        u1, u2 = self.make_pumps(2)
        nc = self.new_event([u1], kind="non_conformance", result=False, measurements=[],
                            description="Cracked housing")
        nc.sudo(self.trace_user).action_put_on_hold()
        self.assertTrue(u1.quality_hold)
        self.assertEqual(u1.hold_event_id, nc)
        u2.sudo(self.trace_user)._put_on_hold("Suspect supplier batch")
        self.assertTrue(u2.quality_hold)
        self.assertEqual(u2.unit_state, "quarantined")

    # -- 2: approval is a signature ---------------------------------------------
    def test_traceability_user_cannot_approve_without_signing(self):
        u1 = self.make_pumps(1)[0]
        event = self.new_event([u1])
        as_user = event.sudo(self.trace_user)
        for context in FORGED_CONTEXTS + ({},):
            self.refused(lambda c=context: as_user.with_context(**c).write(
                {"state": "done", "approved_by_id": self.qm.id}))
            self.refused(lambda c=context: as_user.with_context(**c).write(
                {"approved_by_id": self.qm.id, "approved_date": "2026-01-01 00:00:00"}))
            self.refused(lambda c=context: as_user.with_context(**c).write({"covered": True}))
        self.assertEqual((event.state, event.approved_by_id.id, event.signature_state),
                         ("draft", False, "unsigned"))
        Event = self.env["serial.quality.event"].sudo(self.trace_user).with_context(
            serial_quality_approving=True)
        self.refused(lambda: Event.create({
            "kind": "test", "result": "pass", "lot_ids": [(6, 0, u1.ids)],
            "state": "done", "approved_by_id": self.qm.id}))
        self.assertEqual(u1.quality_event_ids, event)
        self.approve(event)
        self.assertEqual((event.state, event.approved_by_id, event.signature_state),
                         ("done", self.qm, "valid"))
        # nor are its units taken away from the lot's side
        self.refused(lambda: u1.sudo(self.stock_user).write({"quality_event_ids": [(5,)]}))
        self.assertEqual((event.lot_ids, u1.quality_state), (u1, "passed"))

    # -- 3: the unit columns come from the moves only ---------------------------
    def test_inventory_user_cannot_rewrite_the_unit_columns(self):
        u1 = self.make_pumps(1)[0]
        delivery = self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        before = u1.read(sorted(UNIT_COLUMNS))[0]
        self.assertEqual((before["unit_state"], before["customer_id"][0]),
                         ("shipped", self.customer_a.id))
        forged = {"customer_id": self.customer_b.id, "unit_state": "scrapped",
                  "current_location_id": self.flow._warehouse().lot_stock_id.id,
                  "ship_date": "2020-01-01 00:00:00", "delivery_picking_id": False,
                  "supplier_id": self.supplier.id, "production_id": False,
                  "quality_state": "passed", "warranty_start": "2020-01-01",
                  "warranty_end": "2020-01-02"}
        lot = u1.sudo(self.stock_user)
        for name, value in forged.items():
            for context in ({}, {GUARD_KEY: True}):
                self.refused(lambda c=context, n=name, v=value: lot.with_context(**c).write(
                    {n: v}), UserError)
        self.assertEqual(u1.read(sorted(UNIT_COLUMNS))[0], before)
        self.refused(lambda: self.env["stock.production.lot"].sudo(self.stock_user).create(
            {"name": "U9", "product_id": self.pump.id, "customer_id": self.customer_b.id}))
        # the columns still follow the moves: the customer sends it back
        self.flow.sudo(self.stock_user)._return(delivery, [(self.pump, 1, u1)])
        self.assertEqual((u1.unit_state, u1.customer_id), ("returned", self.customer_a))
        # the one column users type stays writable
        lot.write({"vendor_lot": "V-1"})
        self.assertEqual(u1.vendor_lot, "V-1")

    # -- 12 and 15: readings and choices ----------------------------------------
    def test_measurement_without_a_value_does_not_pass(self):
        u1 = self.make_pumps(1)[0]
        event = self.new_event([u1], measurements=[])
        Measurement = self.env["serial.quality.measurement"].sudo(self.trace_user)
        line = {"event_id": event.id, "parameter": "Leakage", "limit_kind": "max",
                "max_value": 1.0}
        for value in ({}, {"value": False}, {"value": None}, {"value": ""}):
            with self.assertRefused("Leakage.*no value"):
                Measurement.create(dict(line, **value))
        with self.assertRefused("Leakage.*no value"):
            event.sudo(self.trace_user).write({"measurement_ids": [(0, 0, line)]})
        self.env.cache.invalidate()
        self.assertFalse(event.measurement_ids)
        zero = Measurement.create(dict(line, value=0.0))
        self.assertTrue(zero.passed, "a reading of zero is a reading")
        with self.assertRefused("Leakage.*no value"):
            zero.write({"value": False})
        self.assertEqual(zero.value, 0.0)

    def test_measurement_values_are_parsed_or_refused_with_a_sentence(self):
        u1 = self.make_pumps(1)[0]
        event = self.new_event([u1], measurements=[])
        Measurement = self.env["serial.quality.measurement"].sudo(self.trace_user)
        line = {"event_id": event.id, "parameter": "Leakage", "limit_kind": "range",
                "min_value": 0.0, "max_value": 1.0}
        for bad in NOT_NUMBERS:
            with self.assertRefused("Leakage"):
                Measurement.create(dict(line, value=bad))
            if bad not in ("", " "):  # an empty limit is 0.0, as the host has it
                with self.assertRefused("Leakage"):
                    Measurement.create(dict(line, value=0.5, max_value=bad))
        self.assertFalse(event.measurement_ids)
        with self.assertRefused("decimal point"):
            Measurement.create(dict(line, value="1,5"))
        parsed = Measurement.create(dict(line, value=" 0.25 ", max_value="1e0"))
        self.assertEqual((parsed.value, parsed.max_value, parsed.passed), (0.25, 1.0, True))
        with self.assertRefused("Leakage"):
            parsed.write({"value": "abc"})
        self.assertEqual(parsed.value, 0.25)

    def test_unknown_selection_values_are_refused_with_a_sentence(self):
        u1 = self.make_pumps(1)[0]
        event = self.new_event([u1])
        cases = [
            (self.env["serial.quality.event"].sudo(self.trace_user), "create",
             {"kind": "bogus", "lot_ids": [(6, 0, u1.ids)]}, "bogus"),
            (event.sudo(self.trace_user), "write", {"result": "maybe"}, "maybe"),
            (event.measurement_ids[0].sudo(self.trace_user), "write", {"limit_kind": 7}, "7"),
            (self.env["serial.quality.measurement"].sudo(self.trace_user), "create",
             {"event_id": event.id, "parameter": "X", "value": 1, "limit_kind": "between"},
             "between"),
            (self.env["serial.recall"].sudo(self.qm), "create",
             {"reason": "r", "recall_class": "IV"}, "IV"),
        ]
        for records, method, vals, shown in cases:
            with self.assertRefused("%s.*not one of" % shown):
                getattr(records, method)(vals)
        self.env.cache.invalidate()
        self.assertEqual((event.result, len(event.measurement_ids)), ("pass", 2))

    # -- 14: chatter shows what users typed, as text -----------------------------
    def test_chatter_messages_escape_user_text(self):
        u1 = self.make_pumps(1)[0]
        payload = '<img src="x" onerror="alert(1)">Leak'
        self.approve(self.new_event([u1], kind="non_conformance", result=False,
                                    measurements=[], description=payload))
        held = u1.message_ids.filtered(lambda m: "quality hold" in (m.body or ""))
        self.assertEqual(len(held), 1)
        self.assertNotIn("<img", held.body)
        self.assertIn("&lt;img", held.body)
        release = self.new_event([u1], kind="release", result=False, measurements=[],
                                 description=payload)
        self.approve(release)
        released = u1.message_ids.filtered(lambda m: "released" in (m.body or ""))
        self.assertEqual(len(released), 1)
        self.assertNotIn("<img", released.body)
        self.assertIn("&lt;img", released.body)
        # the printed name is the administered signing name (issue 14, finding 7)
        self.qm.sudo().signing_name = "<b>Q</b> Manager"
        event = self.new_event([u1])
        self.sign(event, meaning="review")
        self.assertIn("&lt;b&gt;Q", event.message_ids[0].body)

    # -- 17: the race is a user error; no e-mail address needed -----------------
    race = test_serial_generation_race.TestConcurrentCursors.race

    def test_serial_race_reaches_rpc_clients_as_a_user_error(self):
        name = "RACE-%s" % uuid.uuid4().hex[:8]

        def loser(env, product_id):
            try:
                env["stock.production.lot"].create({"name": name, "product_id": product_id})
            except Exception as exc:  # what the JSON-RPC dispatcher would serialize
                return serialize_exception(exc)

        error = self.race(name, loser)["created"]
        self.assertEqual((error["name"], error["exception_type"]),
                         ("odoo.exceptions.UserError", "user_error"))
        self.assertIn("just created by someone else", error["message"])

    def test_user_without_email_records_a_quality_event(self):
        u1 = self.make_pumps(1)[0]
        tech = self._user("t_no_mail", ["serial_traceability.group_traceability_user"])
        tech.partner_id.email = False
        self.assertFalse(tech.email)
        event = self.env["serial.quality.event"].sudo(tech).create({
            "kind": "non_conformance", "lot_ids": [(6, 0, u1.ids)],
            "description": "Scratch"})
        event.sudo(tech).write({"description": "Deep scratch"})
        event.sudo(tech).action_put_on_hold()
        self.assertTrue(u1.quality_hold)
        self.assertEqual(event.message_ids[-1:].author_id, tech.partner_id)

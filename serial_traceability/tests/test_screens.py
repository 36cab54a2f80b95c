# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Screens people can follow: titles that name the unit, lists of units without
Create, the audit trail and measurements in words, hold messages said once."""
from lxml import etree

from .common import TraceabilityCase


class TestScreens(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestScreens, cls).setUpClass()
        cls.receive_components(cls)
        cls.build_pcbs(cls, [("SC-P1", [("C1", 2)], "M1")])
        cls.build_pumps(cls, [("SC-U1", "SC-P1", "B1")])
        cls.unit = cls.flow._lot(cls.pump, "SC-U1")
        cls.qm = cls._user("t_sc_qm", ["serial_traceability.group_quality_manager"])

    def lookup(self, code, user=None):
        screen = self.env["serial.lookup"].sudo(user or self.stock_user).new({})
        screen.code = code
        screen._onchange_code()
        return screen

    # -- titles ---------------------------------------------------------------------
    def test_lookup_breadcrumb_names_the_screen_and_the_unit(self):
        screen = self.env["serial.lookup"].sudo(self.stock_user).create({})
        self.assertEqual(screen.display_name, "Find a unit")
        screen.lot_id = self.unit
        self.assertEqual(screen.display_name, "Find a unit: SC-U1")

    def test_unit_lists_are_titled_after_the_unit_and_offer_no_create(self):
        for action in (self.unit.action_view_components(),
                       self.unit.action_open_unit_history()):
            self.assertEqual(action["display_name"], action["name"])
            self.assertIn("SC-U1", action["name"])
        action = self.unit.action_view_components()
        self.assertEqual(action["name"], "Components of SC-U1")
        tree = self.env["stock.production.lot"].fields_view_get(
            view_id=action["views"][0][0], view_type="tree")
        arch = etree.fromstring(tree["arch"])
        self.assertEqual(arch.get("create"), "false")
        lots = self.env["stock.production.lot"].search(action["domain"])
        self.assertEqual(sorted(lots.mapped("name")), ["B1", "SC-P1"])

    # -- the lookup screen ----------------------------------------------------------
    def test_lookup_ignores_letter_case_when_one_unit_matches(self):
        screen = self.lookup("sc-u1")
        self.assertEqual((screen.state, screen.lot_id), ("found", self.unit))
        # two units differing only in case: typed in a third case, it is not a guess
        self.flow._receive(self.supplier, [(self.mcu, 1, "Sc-Twin"), (self.mcu, 1, "SC-TWIN")])
        self.assertEqual(self.lookup("sc-twin").state, "not_found")
        self.assertEqual(self.lookup("SC-TWIN").lot_id.name, "SC-TWIN")
        # LIKE wildcards are letters here, not patterns
        self.assertEqual(self.lookup("SC-U_").state, "not_found")
        self.assertEqual(self.lookup("%").state, "not_found")

    # -- the audit trail in words ---------------------------------------------------
    def test_audit_trail_reads_as_labels_and_old_to_new_values(self):
        self.unit.sudo(self.qm)._put_on_hold("Drop test failed")
        entry = self.env["serial.audit.entry"].search(
            [("res_model", "=", "stock.production.lot"), ("res_id", "=", self.unit.id),
             ("action", "=", "hold")], limit=1)
        self.assertEqual(entry.action_label, "Put on quality hold")
        self.assertEqual(entry.model_label, "Lot/Serial")
        self.assertIn("On quality hold: No \u2192 Yes", entry.changes_text.splitlines())
        self.assertIn("\u2014 \u2192 Drop test failed", entry.changes_text)
        created = self.env["serial.audit.entry"].search(
            [("res_model", "=", "stock.production.lot"), ("res_id", "=", self.unit.id),
             ("action", "=", "create")], order="sequence", limit=1)
        self.assertIn("Product: %s" % self.pump.display_name, created.changes_text)
        self.assertNotIn("[", created.changes_text.replace(self.pump.display_name, ""))

    def test_selection_values_read_as_their_labels(self):
        event = self.env["serial.quality.event"].create(
            {"kind": "note", "description": "Label check", "lot_ids": [(6, 0, self.unit.ids)]})
        entry = self.env["serial.audit.entry"].search(
            [("res_model", "=", "serial.quality.event"), ("res_id", "=", event.id)],
            order="sequence", limit=1)
        self.assertEqual(entry.action_label, "Created")
        lines = entry.changes_text.splitlines()
        self.assertIn("State: Draft", lines)
        self.assertIn("Kind: Note", lines)
        self.assertIn("Lots/Serials: SC-U1", lines)
        self.assertIn("Certificates: \u2014", lines)

    # -- measurements ---------------------------------------------------------------
    def test_measurements_show_the_precision_of_their_parameter(self):
        event = self.env["serial.quality.event"].create({
            "kind": "test", "result": "pass", "lot_ids": [(6, 0, self.unit.ids)],
            "measurement_ids": [
                (0, 0, {"parameter": "Flow", "value": 99.2, "uom": "%", "limit_kind": "range",
                        "min_value": 95.0, "max_value": 105.0}),
                (0, 0, {"parameter": "Leakage", "value": 0.04, "uom": "mA",
                        "limit_kind": "max", "max_value": 0.1}),
                (0, 0, {"parameter": "Pressure", "value": 68, "uom": "kPa",
                        "limit_kind": "min", "min_value": 55}),
                (0, 0, {"parameter": "Note", "value": 3.25, "limit_kind": "none"})]})
        texts = [(m.value_text, m.limits_text) for m in event.measurement_ids]
        self.assertEqual(texts, [("99.2 %", "95.0 \u2013 105.0 %"), ("0.04 mA", "\u2264 0.10 mA"),
                                 ("68 kPa", "\u2265 55 kPa"), ("3.25", "\u2014")])

    # -- hold messages ----------------------------------------------------------------
    def test_held_unit_message_names_the_recall_once(self):
        recall = self.env["serial.recall"].create({"reason": "Suspect capacitors"})
        self.unit.sudo(self.qm)._put_on_hold("Recall %s: suspect capacitors" % recall.name,
                                             source=recall)
        message = self.unit._hold_message()
        self.assertEqual(message, "SC-U1 (%s) is on quality hold by Recall campaign %s: "
                         "suspect capacitors" % (self.pump.display_name, recall.name))

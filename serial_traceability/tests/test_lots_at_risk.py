# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Lots at risk: other lots made from a suspect's inputs, in the recall preview."""
from odoo.exceptions import AccessError

from .recall_common import RecallCase


class TestLotsAtRisk(RecallCase):

    def make(self):
        """P1 and P2 from capacitor lot C1, P3 from C2; pumps U1 (P1) and U2 (P3)
        share battery lot B1."""
        self.receive_components(mcus=3)
        self.build_pcbs([("P1", [("C1", 2)], "M1"), ("P2", [("C1", 2)], "M2"),
                         ("P3", [("C2", 2)], "M3")])
        self.build_pumps([("U1", "P1", "B1"), ("U2", "P3", "B1")])

    def previewed(self, lots):
        wizard = self.wizard(lots)
        wizard.action_preview()
        return wizard

    def at_risk(self, wizard):
        return sorted((line.lot_id.name, line.shared_lot_id.name)
                      for line in wizard.risk_line_ids)

    def test_two_outputs_of_one_supplier_lot(self):
        self.make()
        wizard = self.previewed(self.lot(self.pcb, "P1"))
        # P2 shares C1; P3 (other capacitor lot) and U1 (P1 went into it) are not at risk
        self.assertEqual(self.at_risk(wizard), [("P2", "C1")])
        self.assertEqual(wizard.risk_count, 1)
        self.assertEqual(wizard.risk_line_ids.qty, 2)

    def test_every_level_of_inputs(self):
        self.make()
        wizard = self.previewed(self.lot(self.pump, "U1"))
        self.assertEqual(self.at_risk(wizard), [("P2", "C1"), ("U2", "B1")])

    def test_add_one_then_all(self):
        self.make()
        wizard = self.previewed(self.lot(self.pump, "U1"))
        line = wizard.risk_line_ids.filtered(lambda l: l.lot_id.name == "P2")
        line.sudo(self.qm).action_add_to_scope()
        self.assertEqual(sorted(wizard.lot_ids.mapped("name")), ["P2", "U1"])
        self.assertFalse(wizard.preview_ready)
        self.assertEqual(self.at_risk(wizard), [("U2", "B1")])
        wizard.action_add_lots_at_risk()
        self.assertEqual(sorted(wizard.lot_ids.mapped("name")), ["P2", "U1", "U2"])
        wizard.action_preview()
        # every other output of C1, C2 and B1 is now a suspect or an input of one
        self.assertEqual((self.at_risk(wizard), wizard.risk_count), ([], 0))
        recall = self.env["serial.recall"].sudo(self.qm).browse(
            wizard.action_create_recall()["res_id"])
        self.assertEqual(sorted(recall.suspect_lot_ids.mapped("name")), ["P2", "U1", "U2"])

    def test_only_quality_managers_add(self):
        self.make()
        wizard = self.previewed(self.lot(self.pcb, "P1"))
        for user in (self.trace_user, self.stock_user):
            with self.assertRaises(AccessError):
                wizard.risk_line_ids.sudo(user).action_add_to_scope()
            with self.assertRaises(AccessError):
                wizard.sudo(user).action_add_lots_at_risk()
        self.assertEqual(wizard.lot_ids.mapped("name"), ["P1"])

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The all-levels trace screen: every level in one list, with how much went through
each link and in which unit of measure, and the untracked components too."""
from .common import TraceabilityCase


class TestTraceScreen(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestTraceScreen, cls).setUpClass()
        cls.receive_components(cls)
        cls.build_pcbs(cls, [("TS-P1", [("C1", 2)], "M1"), ("TS-P2", [("C1", 3)], "M2")])
        cls.build_pumps(cls, [("TS-U1", "TS-P1", "B1"), ("TS-U2", "TS-P2", "B1")])
        cls.u1 = cls.flow._lot(cls.pump, "TS-U1")
        cls.c1 = cls.flow._lot(cls.cap, "C1")

    def rows(self, lot, direction, user=None):
        lot = lot.sudo(user or self.stock_user)
        action = lot.action_trace_backward() if direction == "backward" \
            else lot.action_trace_forward()
        lines = self.env["serial.trace.line"].sudo(user or self.stock_user).search(
            action["domain"])
        return action, {(line.lot_id.name or line.product_id.name, line.parent_lot_id.name):
                        (line.depth, line.qty, line.uom_id.name, line.unit_state)
                        for line in lines}

    def test_where_from_gives_every_level_with_quantities_and_untracked_parts(self):
        action, rows = self.rows(self.u1, "backward")
        self.assertEqual(action["name"], "What went into TS-U1")
        self.assertEqual(action["display_name"], action["name"])
        unit = self.pump.uom_id.name
        self.assertEqual(rows, {
            ("TS-P1", "TS-U1"): (1, 1.0, unit, "consumed"),
            # a row says its lot's own status: B1 and C1 have stock left
            ("B1", "TS-U1"): (1, 1.0, unit, "in_stock"),
            ("T Housing", "TS-U1"): (1, 1.0, unit, "untracked"),
            ("C1", "TS-P1"): (2, 2.0, unit, "in_stock"),  # two of C1 in this PCB, not 5
            ("M1", "TS-P1"): (2, 1.0, unit, "consumed"),
        })

    def test_where_used_says_how_much_of_the_lot_went_into_each_unit(self):
        _action, rows = self.rows(self.c1, "forward")
        self.assertEqual({key: value[:2] for key, value in rows.items()}, {
            ("TS-P1", "C1"): (1, 2.0), ("TS-P2", "C1"): (1, 3.0),
            ("TS-U1", "TS-P1"): (2, 1.0), ("TS-U2", "TS-P2"): (2, 1.0)})

    def test_untracked_parts_of_an_unbuilt_unit_are_not_listed(self):
        u2 = self.flow._lot(self.pump, "TS-U2")
        self.env["mrp.unbuild"].create({
            "product_id": self.pump.id, "bom_id": self.pump_bom.id, "product_qty": 1,
            "product_uom_id": self.pump.uom_id.id, "mo_id": u2.production_id.id,
            "lot_id": u2.id}).action_unbuild()
        _action, rows = self.rows(u2, "backward")
        self.assertEqual(rows, {})
        self.assertIn(("T Housing", "TS-U1"), self.rows(self.u1, "backward")[1])

    def test_a_row_opens_its_unit_full_form(self):
        action = self.c1.sudo(self.stock_user).action_open_form()
        self.assertEqual((action["res_model"], action["res_id"]),
                         ("stock.production.lot", self.c1.id))
        self.assertEqual(action["views"],
                         [(self.env.ref("stock.view_production_lot_form").id, "form")])

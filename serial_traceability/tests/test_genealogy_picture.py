# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The genealogy picture of a unit, drawn by Graphviz on the server from the two
traces: the unit's own parts, its customers, each unit's status; grouped when large."""
import html
import shutil
import unittest

from .common import TraceabilityCase


@unittest.skipIf(not shutil.which("dot"), "Graphviz (dot) is not installed")
class TestGenealogyPicture(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestGenealogyPicture, cls).setUpClass()
        cls.receive_components(cls)
        cls.build_pcbs(cls, [("GP-P1", [("C1", 2)], "M1"), ("GP-P2", [("C2", 2)], "M2"),
                             ("GP-P3", [("C1", 2)], "M3")])
        cls.build_pumps(cls, [("GP-U1", "GP-P1", "B1"), ("GP-U2", "GP-P2", "B1"),
                              ("GP-U3", "GP-P3", "B1")])
        cls.u1 = cls.flow._lot(cls.pump, "GP-U1")
        cls.flow._deliver(cls.customer_a, [(cls.pump, 1, cls.u1)])
        cls.c1 = cls.flow._lot(cls.cap, "C1")

    def open_picture(self, lot, user=None):
        action = lot.sudo(user or self.stock_user).action_open_genealogy_picture()
        return self.env[action["res_model"]].sudo(user or self.stock_user).browse(
            action["res_id"]), action

    def test_a_unit_shows_its_own_parts_and_customer_not_a_siblings(self):
        picture, action = self.open_picture(self.u1)
        self.assertEqual(action["name"], "Genealogy of GP-U1")
        self.assertEqual(picture.display_name, "Genealogy of GP-U1")
        self.assertTrue(picture.svg.startswith("<svg"))
        svg = html.unescape(picture.svg)  # Graphviz writes "-" as &#45;
        for text in ("GP-U1", "GP-P1", "C1", "M1", "B1", "T Hospital A", "shipped",
                     "consumed"):
            self.assertIn(">%s</text>" % text, svg, text)
        for sibling in ("GP-P2", "C2", "M2", "GP-U2"):
            self.assertNotIn(">%s</text>" % sibling, svg, sibling)
        self.assertFalse(picture.grouped)
        self.assertEqual((picture.unit_count, picture.customer_count), (5, 1))

    def test_status_of_each_unit_held_and_recalled(self):
        self.flow._lot(self.pcb, "GP-P1")._put_on_hold("Solder joint check")
        suspect = self.flow._lot(self.pump, "GP-U3")
        recall = self.env["serial.recall"].create({
            "reason": "GP suspect", "suspect_lot_ids": [(6, 0, suspect.ids)],
            "include_suspect_stock": True})
        recall._fill_lines()  # lines come from the scope query only
        recall.action_open()
        statuses = {u.name: u.status for u in self.c1._genealogy_picture().units.values()}
        self.assertEqual(statuses, {"C1": "in_stock", "GP-P1": "on_hold",
                                    "GP-P3": "consumed", "GP-U1": "shipped",
                                    "GP-U3": "recalled"})

    def test_a_large_trace_is_grouped_and_a_group_opens_its_units(self):
        svg, picture = self.c1._genealogy_svg(group_above=3, keep_small=1)
        self.assertTrue(picture.grouped)
        svg = html.unescape(svg)
        self.assertEqual(svg.count(">2 units</text>"), 2)  # GP-P1, GP-P3; GP-U1, GP-U3
        self.assertNotIn(">GP-U1</text>", svg)
        action = self.c1.sudo(self.stock_user).action_open_genealogy_group(
            "forward", 2, self.pump.id)
        rows = self.env["serial.trace.line"].sudo(self.stock_user).search(action["domain"])
        self.assertEqual(sorted(rows.mapped("lot_id.name")), ["GP-U1", "GP-U3"])
        self.assertIn("T Pump, level 2", action["name"])
        for bad in (("sideways", 1, self.pump.id), ("forward", "2", self.pump.id)):
            with self.assertRaisesRegex(Exception, "side"):
                self.c1.action_open_genealogy_group(*bad)

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Mass balance of a lot, on rows made through the host's flows."""
from odoo.exceptions import AccessError, UserError

from .recall_common import RecallCase


class TestMassBalance(RecallCase):

    @classmethod
    def setUpClass(cls):
        super(TestMassBalance, cls).setUpClass()
        cls.kg = cls.env.ref("product.product_uom_kgm")
        cls.gram = cls.env.ref("product.product_uom_gram")

    def balance(self, lot, user=None):
        return lot.sudo(user or self.trace_user).get_mass_balance()

    def capacitor_lot(self):
        """CAP-L7: 100 received, 2 each into 6 PCBs (12 consumed), 88 on hand."""
        self.flow._receive(self.supplier, [(self.cap, 100, "L7")]
                           + [(self.mcu, 1, "M%d" % i) for i in range(1, 7)])
        self.build_pcbs([("P%d" % i, [("L7", 2)], "M%d" % i) for i in range(1, 7)])
        return self.lot(self.cap, "L7")

    def stock(self):
        return self.flow._warehouse().lot_stock_id

    def test_capacitor_lot_fully_accounted(self):
        lot = self.capacitor_lot()
        bal = self.balance(lot)
        self.assertEqual(bal["uom"], self.cap.uom_id.name)
        self.assertEqual((bal["start"], bal["received"], bal["consumed"], bal["in_stock"]),
                         (100, 100, 12, 88))
        self.assertEqual((bal["unaccounted"], bal["accounted_pct"]), (0, 100))
        self.assertEqual(bal["gaps"], [])
        self.assertEqual(self.names(bal["consumed_by_output"]),
                         ["P%d" % i for i in range(1, 7)])
        self.assertEqual({r["qty"] for r in bal["consumed_by_output"]}, {2})
        self.assertEqual([(r["location_id"], r["qty"], r["quarantine"])
                          for r in bal["stock_by_location"]], [(self.stock().id, 88, False)])
        self.assertEqual(bal["received_by_supplier"][0]["partner_id"], self.supplier.id)

    def test_outputs_weighted_through_levels(self):
        lot = self.capacitor_lot()
        self.receive_components(cap_lots=(), mcus=0, bat_lots=("B1",))
        self.build_pumps([("U1", "P1", "B1"), ("U2", "P2", "B1")])
        Lot = self.env["stock.production.lot"]
        outputs = {Lot.browse(r["lot_id"]).name: (r["qty"], r["depth"])
                   for r in self.balance(lot)["outputs"]}
        self.assertEqual(outputs, dict([("P%d" % i, (2, 1)) for i in range(1, 7)]
                                       + [("U1", (2, 2)), ("U2", (2, 2))]))

    def test_kilograms_received_grams_consumed_split_into_two_outputs(self):
        flour = self.env["product.product"].create({
            "name": "T Flour", "type": "product", "tracking": "lot",
            "uom_id": self.kg.id, "uom_po_id": self.kg.id})
        bread = self._product("T Bread", "lot")
        bom = self.env["mrp.bom"].create({
            "product_tmpl_id": bread.product_tmpl_id.id, "product_id": bread.id,
            "product_qty": 1})
        self.env["mrp.bom.line"].create({"bom_id": bom.id, "product_id": flour.id,
                                         "product_qty": 500, "product_uom_id": self.gram.id})
        self.flow._receive(self.supplier, [(flour, 10, "F1")])
        mo = self.flow._start_production(bread, 5, bom)
        self.flow._produce(mo, 2, "BR1", [(flour, 1000, "F1")])
        self.flow._produce(mo, 3, "BR2", [(flour, 1500, "F1")])
        self.flow._finish(mo)
        lot = self.lot(flour, "F1")
        units = set(self.env["stock.move.line"].search(
            [("lot_id", "=", lot.id)]).mapped("product_uom_id.name"))
        self.assertEqual(units, {self.kg.name, self.gram.name})  # really two units
        bal = self.balance(lot)
        self.assertEqual(bal["uom"], self.kg.name)
        self.assertEqual((bal["start"], bal["consumed"], bal["in_stock"], bal["unaccounted"],
                          bal["accounted_pct"]), (10, 2.5, 7.5, 0, 100))
        self.assertEqual(sorted((r["qty"], self.env["stock.production.lot"].browse(
            r["lot_id"]).name) for r in bal["outputs"]), [(1.0, "BR1"), (1.5, "BR2")])

    def test_scrap_inventory_loss_shipment_and_return(self):
        lot = self.capacitor_lot()
        scrap = self.env["stock.scrap"].create({
            "product_id": self.cap.id, "lot_id": lot.id, "scrap_qty": 3,
            "product_uom_id": self.cap.uom_id.id, "location_id": self.stock().id})
        scrap.action_validate()
        inventory = self.env["stock.inventory"].create({
            "name": "T count", "filter": "product", "product_id": self.cap.id,
            "location_id": self.stock().id})
        inventory.action_start()
        inventory.line_ids.filtered(lambda l: l.prod_lot_id == lot).product_qty = 80
        inventory.action_done()
        delivery = self.flow._deliver(self.customer_a, [(self.cap, 10, lot)])
        self.flow._return(delivery, [(self.cap, 4, lot)])
        bal = self.balance(lot)
        self.assertEqual((bal["scrapped"], bal["lost"], bal["shipped"], bal["returned"]),
                         (3, 5, 10, 4))
        self.assertEqual(bal["in_stock"], 100 - 12 - 3 - 5 - 10 + 4)
        self.assertEqual((bal["unaccounted"], bal["accounted_pct"], bal["gaps"]), (0, 100, []))
        self.assertEqual([(r["partner_id"], r["qty"]) for r in bal["shipped_by_customer"]],
                         [(self.customer_a.id, 10)])

    def test_unbuild_gives_back(self):
        self.flow._receive(self.supplier, [(self.cap, 100, "L7"), (self.mcu, 1, "M1"),
                                           (self.mcu, 1, "M2")])
        mo = self.build_pcbs([("P1", [("L7", 2)], "M1"), ("P2", [("L7", 2)], "M2")])
        lot, p1 = self.lot(self.cap, "L7"), self.lot(self.pcb, "P1")
        self.env["mrp.unbuild"].create({
            "product_id": self.pcb.id, "bom_id": self.pcb_bom.id, "product_qty": 1,
            "product_uom_id": self.pcb.uom_id.id, "mo_id": mo.id, "lot_id": p1.id,
        }).action_unbuild()
        bal = self.balance(lot)
        self.assertEqual((bal["start"], bal["consumed"], bal["in_stock"], bal["accounted_pct"]),
                         (100, 2, 98, 100))
        self.assertEqual(self.names(bal["consumed_by_output"]), ["P2"])
        self.assertEqual(self.names(bal["outputs"]), ["P2"])
        pcb = self.balance(p1)
        self.assertEqual((pcb["produced"], pcb["consumed"], pcb["in_stock"],
                          pcb["accounted_pct"]), (1, 1, 0, 100))

    def test_unbuilt_unit_rebuilt(self):
        lot = self.capacitor_lot()
        self.receive_components(cap_lots=(), mcus=0, bat_lots=("B1",))
        mo = self.build_pumps([("U1", "P1", "B1")])
        self.env["mrp.unbuild"].create({
            "product_id": self.pump.id, "bom_id": self.pump_bom.id, "product_qty": 1,
            "product_uom_id": self.pump.uom_id.id, "mo_id": mo.id,
            "lot_id": self.lot(self.pump, "U1").id}).action_unbuild()
        self.build_pumps([("U3", "P1", "B1")])
        # P1, given back by the unbuild and built into U3, holds all its 2 capacitors
        outputs = {r["lot"]: r["qty"] for r in self.balance(lot)["outputs"]}
        self.assertEqual(outputs, dict([("P%d" % i, 2) for i in range(1, 7)] + [("U3", 2)]))
        pcb = self.balance(self.lot(self.pcb, "P1"))
        self.assertEqual((pcb["produced"], pcb["consumed"], pcb["in_stock"],
                          pcb["accounted_pct"]), (1, 1, 0, 100))

    def test_unrecorded_loss_is_the_gap(self):
        lot = self.capacitor_lot()
        # 7 units vanish without any move: nobody counted, nobody scrapped
        self.env.cr.execute("UPDATE stock_quant SET quantity = quantity - 7"
                            " WHERE lot_id = %s AND location_id = %s",
                            (lot.id, self.stock().id))
        self.env["stock.quant"].invalidate_cache()
        bal = self.balance(lot)
        self.assertEqual((bal["in_stock"], bal["lost"], bal["unaccounted"]), (81, 0, 7))
        self.assertEqual(bal["accounted_pct"], 93)
        self.assertEqual([(g["location_id"], g["qty"]) for g in bal["gaps"]],
                         [(self.stock().id, 7)])

    def test_quarantine_apart(self):
        lot = self.capacitor_lot()
        recall = self.create_recall(lot)
        recall.action_quarantine()
        bal = self.balance(lot)
        self.assertEqual((bal["in_stock"], bal["in_quarantine"], bal["accounted_pct"]),
                         (88, 88, 100))
        self.assertEqual([(r["location_id"], r["quarantine"]) for r in bal["stock_by_location"]],
                         [(self.quarantine().id, True)])

    def test_unit_of_another_category_refused(self):
        lot = self.capacitor_lot()
        line = self.env["stock.move.line"].search([("lot_id", "=", lot.id)], limit=1)
        kg = self.kg
        self.env.cr.execute("UPDATE stock_move_line SET product_uom_id = %s WHERE id = %s",
                            (kg.id, line.id))
        with self.assertRaises(UserError) as caught:
            self.balance(lot)
        self.assertIn(kg.name, caught.exception.name)

    def test_screen_and_rights(self):
        lot = self.capacitor_lot()
        with self.assertRaises(AccessError):
            self.balance(lot, user=self.stock_user)
        action = lot.sudo(self.trace_user).action_open_mass_balance()
        screen = self.env[action["res_model"]].sudo(self.trace_user).browse(action["res_id"])
        self.assertEqual((screen.start, screen.accounted_pct, screen.uom_name),
                         (100, 100, self.cap.uom_id.name))
        sections = screen.line_ids.mapped("section")
        self.assertEqual(sections.count("consumed"), 6)
        self.assertIn("stock", sections)
        self.assertNotIn("gap", sections)

    def test_recall_form_and_report_section(self):
        lot = self.capacitor_lot()
        recall = self.create_recall(lot)
        auditor = self._user("t_mb_auditor", ["serial_traceability.group_auditor"])
        for user in (self.trace_user, auditor):
            html = recall.sudo(user).mass_balance_html
            self.assertIn("L7", html)
            self.assertIn("100 %", html)
            self.assertIn("88", html)
        report = self.env.ref("serial_traceability.serial_recall_pdf_report")
        body = report.sudo(self.qm).render_qweb_html(recall.ids)[0].decode()
        self.assertIn("Mass balance of the suspect lots", body)
        self.assertIn("o_serial_mass_balance", body)

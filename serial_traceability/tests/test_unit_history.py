# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Unit history rows and lot fields after each host flow, made through the host."""
from odoo.exceptions import AccessError, UserError

from .common import TraceabilityCase


class TestUnitHistory(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestUnitHistory, cls).setUpClass()
        cls.portal_user = cls._user("t_portal_user", ["base.group_portal"])
        cls.warehouse = cls.flow._warehouse()
        cls.stock = cls.warehouse.lot_stock_id
        cls.shelf = cls.env["stock.location"].create(
            {"name": "T Shelf", "usage": "internal", "location_id": cls.stock.id})

    def _factory(self):
        self.receipt = self.receive_components()
        self.pcb_mo = self.build_pcbs([("P1", [("C1", 2)], "M1"), ("P2", [("C2", 2)], "M2")])
        self.pump_mo = self.build_pumps([("U1", "P1", "B1"), ("U2", "P2", "B1")])

    def timeline(self, lot, **kwargs):
        """Oldest first: [(event_type, lot name)]."""
        rows = lot.get_unit_history(**kwargs)
        names = dict((lot.id, lot.name) for lot in self.env["stock.production.lot"].browse(
            [r["lot_id"] for r in rows]))
        return [(r["event_type"], names[r["lot_id"]]) for r in reversed(rows)]

    def events(self, lot):
        return [event for event, _name in self.timeline(lot)]

    def row(self, lot, event_type):
        rows = [r for r in lot.get_unit_history() if r["event_type"] == event_type]
        self.assertEqual(len(rows), 1, rows)
        return rows[0]

    def unit(self, lot):
        lot.invalidate_cache()
        return (lot.unit_state, lot.production_id, lot.supplier_id, lot.customer_id)

    def test_receipt_build_and_consumption(self):
        self._factory()
        m1, p1, u1 = self.lot(self.mcu, "M1"), self.lot(self.pcb, "P1"), self.lot(self.pump, "U1")
        c1 = self.lot(self.cap, "C1")
        m1.vendor_lot = "NC-4711"
        self.assertEqual(self.events(m1), ["received", "consumed"])
        received = self.row(m1, "received")
        self.assertEqual(received["partner_id"], self.supplier.id)
        self.assertEqual((received["res_model"], received["res_id"]),
                         ("stock.picking", self.receipt.id))
        self.assertEqual(received["reference"], self.receipt.name)
        self.assertIn("vendor lot NC-4711", received["description"])
        consumed = self.row(m1, "consumed")
        self.assertEqual(consumed["production_id"], self.pcb_mo.id)
        self.assertIn("into P1", consumed["description"])
        self.assertEqual(self.events(p1), ["produced", "consumed"])
        built = self.row(p1, "produced")
        self.assertEqual((built["production_id"], built["user_id"]),
                         (self.pcb_mo.id, self.pcb_mo.user_id.id))
        self.assertEqual(self.row(p1, "consumed")["production_id"], self.pump_mo.id)
        self.assertEqual(self.events(u1), ["produced"])
        # Lot fields: who made it, who sold it to us, where it is.
        self.assertEqual(self.unit(m1), ("consumed", self.pcb_mo.browse(), self.supplier,
                                         self.supplier.browse()))
        self.assertEqual(self.unit(p1)[:2], ("consumed", self.pcb_mo))
        self.assertEqual(self.unit(u1)[:3], ("in_stock", self.pump_mo, self.supplier.browse()))
        # 50 received, 2 consumed: the lot is still in stock.
        self.assertEqual(self.unit(c1)[::2], ("in_stock", self.supplier))

    def test_ship_return_and_reship(self):
        self._factory()
        u1 = self.lot(self.pump, "U1")
        out_a = self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        self.assertEqual(self.unit(u1)[::3], ("shipped", self.customer_a))
        self.assertEqual(u1.ship_date, out_a.move_line_ids.date)
        shipped = self.row(u1, "shipped")
        self.assertEqual((shipped["partner_id"], shipped["picking_id"]),
                         (self.customer_a.id, out_a.id))
        back = self.flow._return(out_a, [(self.pump, 1, u1)])
        self.assertEqual(self.unit(u1)[::3], ("returned", self.customer_a),
                         "the last customer stays after a return")
        self.assertEqual(self.row(u1, "returned")["picking_id"], back.id)
        self.flow._deliver(self.customer_b, [(self.pump, 1, u1)])
        self.assertEqual(self.unit(u1)[::3], ("shipped", self.customer_b))
        self.assertEqual(self.events(u1), ["produced", "shipped", "returned", "shipped"])

    def test_internal_move_is_behind_a_filter(self):
        self._factory()
        u2 = self.lot(self.pump, "U2")
        self.flow._transfer(self.warehouse.int_type_id, None, [(self.pump, 1, u2)],
                            location=self.stock, location_dest=self.shelf)
        self.assertEqual(self.events(u2), ["produced", "moved"])
        self.assertEqual(self.unit(u2)[0], "in_stock")
        action = u2.action_open_unit_history()
        self.assertEqual(action["res_model"], "serial.unit.history")
        self.assertEqual(action["context"], {"search_default_filter_no_moves": 1})
        history = self.env["serial.unit.history"]
        self.assertEqual(history.search(action["domain"] + [("event_type", "!=", "moved")])
                         .mapped("event_type"), ["produced"])

    def test_scrap_and_inventory_adjustment(self):
        self._factory()
        m3, m4 = self.lot(self.mcu, "M3"), self.lot(self.mcu, "M4")
        scrap = self.env["stock.scrap"].create({
            "product_id": self.mcu.id, "lot_id": m3.id, "scrap_qty": 1,
            "product_uom_id": self.mcu.uom_id.id, "location_id": self.stock.id})
        scrap.do_scrap()
        self.assertEqual(self.events(m3), ["received", "scrapped"])
        row = self.row(m3, "scrapped")
        self.assertEqual((row["res_model"], row["res_id"]), ("stock.scrap", scrap.id))
        self.assertEqual(self.unit(m3)[0], "scrapped")
        # Counted: M4 is missing; a new battery lot B9 is found on the shelf.
        inventory = self.env["stock.inventory"].create(
            {"name": "T count", "filter": "partial", "location_id": self.stock.id})
        inventory.action_start()
        b9 = self.flow._lot(self.bat, "B9")
        for product, lot, qty, location in ((self.mcu, m4, 0, self.stock),
                                            (self.bat, b9, 5, self.shelf)):
            self.env["stock.inventory.line"].create({
                "inventory_id": inventory.id, "product_id": product.id, "prod_lot_id": lot.id,
                "location_id": location.id, "product_qty": qty})
        inventory.action_done()
        self.assertEqual(self.events(m4), ["received", "inventory"])
        self.assertEqual(self.unit(m4)[0], "scrapped")
        self.assertEqual(self.events(b9), ["inventory"])
        self.assertEqual(self.row(b9, "inventory")["res_id"], inventory.id)
        self.assertEqual(self.unit(b9), ("in_stock", self.pcb_mo.browse(),
                                         self.supplier.browse(), self.supplier.browse()))

    def test_unbuild_gives_the_components_back(self):
        self._factory()
        u2, p2 = self.lot(self.pump, "U2"), self.lot(self.pcb, "P2")
        self.assertEqual(self.unit(p2)[0], "consumed")
        unbuild = self.env["mrp.unbuild"].create({
            "product_id": self.pump.id, "bom_id": self.pump_bom.id, "product_qty": 1,
            "product_uom_id": self.pump.uom_id.id, "mo_id": self.pump_mo.id, "lot_id": u2.id})
        unbuild.action_unbuild()
        self.assertEqual(self.events(u2), ["produced", "unbuilt"])
        self.assertEqual(self.row(u2, "unbuilt")["res_id"], unbuild.id)
        self.assertEqual(self.unit(u2)[:2], ("consumed", self.pump_mo),
                         "an unbuilt unit keeps the MO that built it")
        self.assertEqual(self.events(p2), ["produced", "consumed", "recovered"])
        self.assertEqual(self.unit(p2)[0], "in_stock")

    def test_return_to_supplier(self):
        self._factory()
        m4 = self.lot(self.mcu, "M4")
        self.flow._return(self.receipt, [(self.mcu, 1, m4)])
        self.assertEqual(self.events(m4), ["received", "supplier_return"])
        self.assertEqual(self.unit(m4)[::2], ("shipped", self.supplier))
        self.assertFalse(m4.customer_id)

    def test_correcting_a_done_delivery_line(self):
        """The host lets a user fix the serial on a done delivery: both units follow."""
        self._factory()
        u1, u2 = self.lot(self.pump, "U1"), self.lot(self.pump, "U2")
        out = self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        out.move_line_ids.write({"lot_id": u2.id})
        self.assertEqual(self.unit(u1)[::3], ("in_stock", self.customer_a.browse()))
        self.assertEqual(self.unit(u2)[::3], ("shipped", self.customer_a))
        self.assertEqual(self.events(u1), ["produced"])
        self.assertEqual(self.events(u2), ["produced", "shipped"])

    def test_history_with_components(self):
        self._factory()
        u1 = self.lot(self.pump, "U1")
        self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        rows = self.timeline(u1, include_components=True)
        # what went into U1 at every level, not the components' own other events
        self.assertEqual(sorted(rows), sorted([
            ("consumed", "C1"), ("consumed", "M1"), ("consumed", "P1"), ("consumed", "B1"),
            ("produced", "U1"), ("shipped", "U1")]))
        self.assertEqual(rows[-1], ("shipped", "U1"))
        # each says how much went into which unit, and where the component came from
        c1 = self.lot(self.cap, "C1")
        c1.vendor_lot = "NC-4711"
        by_lot = {r["lot_id"]: r for r in u1.get_unit_history(include_components=True)}
        received = self.receipt.date_done[:10]
        self.assertEqual(by_lot[c1.id]["description"],
                         "2 Unit(s) · into P1 · from T Supplier, received %s (vendor lot "
                         "NC-4711)" % received)
        self.assertEqual(by_lot[c1.id]["production_id"], self.pcb_mo.id)
        self.assertNotIn("50", by_lot[c1.id]["description"])  # C1's whole receipt
        p1 = self.lot(self.pcb, "P1")
        self.assertEqual(by_lot[p1.id]["description"],
                         "1 Unit(s) · into U1 · built by %s" % self.pcb_mo.name)
        self.assertEqual(by_lot[p1.id]["production_id"], self.pump_mo.id)

    def test_lot_list_search_and_group(self):
        self._factory()
        u1, u2 = self.lot(self.pump, "U1"), self.lot(self.pump, "U2")
        self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        lots = self.env["stock.production.lot"]
        self.assertEqual(lots.search([("customer_id", "=", self.customer_a.id)]), u1)
        self.assertEqual(lots.search([("production_id", "=", self.pump_mo.id)]), u1 | u2)
        self.assertEqual(sorted(lots.search([("supplier_id", "=", self.supplier.id),
                                             ("unit_state", "=", "consumed")]).mapped("name")),
                         ["M1", "M2"])
        groups = lots.read_group([("product_id", "=", self.pump.id)], ["unit_state"],
                                 ["unit_state"])
        self.assertEqual(sorted((g["unit_state"], g["unit_state_count"]) for g in groups),
                         [("in_stock", 1), ("shipped", 1)])
        shipped_by_month = lots.read_group([("product_id", "=", self.pump.id),
                                            ("customer_id", "!=", False)], ["ship_date"],
                                           ["ship_date:month"])
        self.assertEqual(sum(g["ship_date_count"] for g in shipped_by_month), 1)

    def test_history_list_filters_and_groups(self):
        self._factory()
        history = self.env["serial.unit.history"]
        domain = [("lot_id.product_id", "in", (self.mcu | self.pcb).ids)]
        groups = history.read_group(domain, ["event_type"], ["event_type"])
        self.assertEqual(sorted((g["event_type"], g["event_type_count"]) for g in groups),
                         [("consumed", 4), ("produced", 2), ("received", 4)])
        by_partner = history.read_group(domain + [("event_type", "=", "received")],
                                        ["partner_id"], ["partner_id"])
        self.assertEqual([g["partner_id"][0] for g in by_partner], [self.supplier.id])
        self.assertTrue(history.read_group(domain, ["date"], ["date:day"]))

    def test_row_ids_are_unique_across_sources(self):
        self._factory()
        self.env.cr.execute("SELECT id FROM serial_unit_history GROUP BY id HAVING count(*) > 1")
        self.assertEqual(self.env.cr.fetchall(), [])

    def test_quarantine_follows_the_quality_hold(self):
        self._factory()
        u1 = self.lot(self.pump, "U1")
        u1._put_on_hold("T suspicious battery lot")
        self.assertEqual(self.unit(u1)[0], "quarantined")
        u1._release_hold("T battery lot cleared")
        self.assertEqual(self.unit(u1)[0], "in_stock")

    def test_access(self):
        self._factory()
        u1 = self.lot(self.pump, "U1")
        as_stock_user = u1.sudo(self.stock_user)
        self.assertEqual([r["event_type"] for r in as_stock_user.get_unit_history()],
                         ["produced"])
        self.assertEqual(self.env["serial.unit.history"].sudo(self.stock_user).search(
            [("lot_id", "=", u1.id)]).mapped("event_type"), ["produced"])
        self.assertEqual(as_stock_user.unit_history_count, 1)
        with self.assertRaises(AccessError):
            self.env["serial.unit.history"].sudo(self.portal_user).search(
                [("lot_id", "=", u1.id)])
        with self.assertRaises(AccessError):
            u1.sudo(self.portal_user).get_unit_history()

    def test_rows_through_the_function_match_the_view(self):
        """A unit's own rows come through ``serial_unit_history_of`` (its plan kept):
        same rows as the view, the same record rules applied."""
        self._factory()
        self.flow._deliver(self.customer_a, [(self.pump, 1, self.lot(self.pump, "U1"))])
        other = self.env["res.company"].create({"name": "T Other Company"})
        other_user = self._user("t_other_stock_user", ["stock.group_stock_user"], other)
        lots = self.env["stock.production.lot"].search(
            [("product_id", "in", (self.pump | self.pcb | self.mcu).ids)])
        self.assertTrue(lots)
        seen = {}
        for user in (self.stock_user, other_user):
            history = self.env["serial.unit.history"].sudo(user)
            seen[user] = 0
            for lot in lots:
                domain = history._domain_for_lots(lot)
                by_view = history._read_rows(domain)
                by_function = history._read_rows(domain, lot_ids=lot.ids)
                self.assertEqual(by_function, by_view, lot.name)
                if user == other_user:
                    with self.assertRaises(UserError):
                        lot.sudo(user).get_unit_history()
                else:
                    self.assertEqual(lot.sudo(user).get_unit_history(), by_view)
                seen[user] += len(by_view)
        # the other company's user sees none of them (receipts and builds included)
        self.assertTrue(0 == seen[other_user] < seen[self.stock_user], seen)

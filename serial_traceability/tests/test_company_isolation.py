# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A second company's users see nothing of the first company's units.

The first company receives components from a supplier, builds pumps, ships one and
takes it back from the customer. A user of a second company, over the ORM as an RPC
client would call it, then tries every way in: the unit history (supplier receipts,
the customer return, the MOs), the lots and their columns (customer, ship date), the
lookup by scan, traces, the recall wizard, and creating or moving lots into the
first company. The access matrix (``test_access_matrix``) covers every model's
read/create/write/unlink cell; this module covers what a cell cannot show.
"""
from odoo.exceptions import AccessError, UserError

from .common import TraceabilityCase

UNIT_COLUMNS = ["customer_id", "ship_date", "supplier_id", "unit_state", "production_id",
                "delivery_picking_id", "current_location_id"]


class TestCompanyIsolation(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestCompanyIsolation, cls).setUpClass()
        cls.company = cls.env.user.company_id
        cls.other = cls.env["res.company"].create({"name": "T Second Plant"})
        cls.b_stock = cls._user("t_iso_b_stock", ["stock.group_stock_user"],
                                company=cls.other)
        cls.b_qm = cls._user("t_iso_b_qm", ["serial_traceability.group_quality_manager"],
                             company=cls.other)
        # A user of both companies, working in the second one: sees both.
        cls.both = cls._user("t_iso_both", ["stock.group_stock_user"], company=cls.other)
        cls.both.company_ids = [(4, cls.company.id)]
        # A product both companies use (no company), as shared catalogues are.
        cls.shared = cls._product("T Shared Sensor", "serial")
        cls.shared.product_tmpl_id.company_id = False
        cls.receive_components(cls)
        cls.build_pcbs(cls, [("P1", [("C1", 2)], "M1")])
        cls.pump_mo = cls.build_pumps(cls, [("U1", "P1", "B1")])
        cls.u1 = cls.lot(cls, cls.pump, "U1")
        delivery = cls.flow._deliver(cls.customer_a, [(cls.pump, 1, cls.u1)])
        cls.flow._return(delivery, [(cls.pump, 1, cls.u1)])
        cls.flow._receive(cls.supplier, [(cls.shared, 1, "S1")])
        cls.a_lots = cls.env["stock.production.lot"].search(
            [("company_id", "=", cls.company.id)])
        cls.u1.invalidate_cache()

    def test_the_first_company_made_what_the_second_tries_to_read(self):
        """The set-up is what the finding names: without it the other tests prove
        nothing."""
        types = set(self.env["serial.unit.history"].search(
            [("lot_id", "in", self.a_lots.ids)]).mapped("event_type"))
        self.assertTrue({"received", "produced", "consumed", "shipped", "returned"} <= types)
        self.assertEqual(self.u1.customer_id, self.customer_a)
        self.assertTrue(self.u1.ship_date)
        self.assertEqual(set(self.a_lots.mapped("company_id")), {self.company})
        self.assertIn(self.lot(self.shared, "S1"), self.a_lots)

    # -- unit history ------------------------------------------------------------------
    def test_unit_history_shows_none_of_the_first_companys_rows(self):
        for user in (self.b_stock, self.b_qm):
            history = self.env["serial.unit.history"].sudo(user)
            self.assertFalse(history.search([("lot_id", "in", self.a_lots.ids)]), user.login)
            self.assertFalse(history.search([]), user.login)
            self.assertFalse(history.search_read([("event_type", "in", ("received",
                                                                        "returned"))]))
            self.assertFalse(history.read_group([], ["event_type"], ["event_type"]))
            self.assertEqual(history._read_rows([("lot_id", "in", self.a_lots.ids)]), [])
            self.assertEqual(history._read_rows([("lot_id", "in", self.a_lots.ids)],
                                                lot_ids=self.a_lots.ids), [])
            rows = self.env["serial.unit.history"].search([("lot_id", "=", self.u1.id)])
            with self.assertRaises(AccessError):
                rows.sudo(user).read(["reference", "partner_id"])
            with self.assertRaises(UserError):
                self.u1.sudo(user).get_unit_history(include_components=True)

    def test_unit_history_rows_belong_to_the_lots_company(self):
        """Rows in no company's location (vendors, customers, production) take the
        unit's company: that is what leaked."""
        history = self.env["serial.unit.history"].search([("lot_id", "in", self.a_lots.ids)])
        self.assertTrue(history)
        self.assertEqual(set(history.mapped("company_id")), {self.company})
        both = self.env["serial.unit.history"].sudo(self.both)
        self.assertEqual(both.search([("lot_id", "in", self.a_lots.ids)]), history)

    # -- lots and their columns --------------------------------------------------------
    def test_lots_and_their_unit_columns_are_hidden(self):
        Lot = self.env["stock.production.lot"].sudo(self.b_stock)
        self.assertFalse(Lot.search([("id", "in", self.a_lots.ids)]))
        self.assertFalse(Lot.search([("customer_id", "=", self.customer_a.id)]))
        self.assertFalse(Lot.search_read([("ship_date", "!=", False)], UNIT_COLUMNS))
        self.assertFalse(Lot.read_group([], ["customer_id"], ["customer_id"]))
        with self.assertRaises(AccessError):
            self.u1.sudo(self.b_stock).read(UNIT_COLUMNS)
        with self.assertRaises(AccessError):
            self.u1.sudo(self.b_stock).write({"ref": "mine now"})
        with self.assertRaises(AccessError):
            self.lot(self.shared, "S1").sudo(self.b_stock).unlink()
        # the user of both companies still sees them
        self.assertEqual(self.u1.sudo(self.both).customer_id, self.customer_a)

    def test_lookup_trace_and_recall_find_nothing(self):
        Lot = self.env["stock.production.lot"].sudo(self.b_qm)
        self.assertEqual(Lot.find_by_scan("U1")["lot_ids"], [])
        self.assertEqual(Lot.find_by_scan("S1")["lot_ids"], [])
        for direction in ("forward", "backward"):
            with self.assertRaises(UserError):
                self.u1.sudo(self.b_qm).get_trace(direction)
            with self.assertRaises(UserError):
                self.lot(self.cap, "C1").sudo(self.b_qm).get_genealogy(direction)
        lookup = self.env["serial.lookup"].sudo(self.b_qm).create({"lot_id": self.u1.id})
        with self.assertRaises(AccessError):
            lookup.read(["customer_id", "unit_state", "product_id"])
        wizard = self.env["serial.recall.wizard"].sudo(self.b_qm).create(
            {"reason": "T probe", "lot_ids": [(6, 0, self.u1.ids)]})
        # the suspect is not theirs to see: no suspect, no scope
        with self.assertRaisesRegex(UserError, "at least one suspect"):
            wizard.action_preview()
        self.assertFalse(wizard.count_total or wizard.preview_html)
        # criteria over a shared product find the first company's serial no longer
        wizard = self.env["serial.recall.wizard"].sudo(self.b_qm).create(
            {"reason": "T probe", "product_id": self.shared.id})
        with self.assertRaisesRegex(UserError, "No lot or serial"):
            wizard.action_add_criteria()
        # nor can a recall of their own name the first company's unit
        own_recall = self.env["serial.recall"].sudo(self.b_qm).create({"reason": "T probe"})
        self.assertEqual(own_recall.company_id, self.other)
        with self.assertRaises(AccessError):
            self.env["serial.recall.line"].sudo(self.b_qm).create(
                {"recall_id": own_recall.id, "lot_id": self.u1.id})
        # the user of both companies finds the unit
        self.assertEqual(self.env["stock.production.lot"].sudo(self.both).find_by_scan(
            "U1")["lot_ids"], self.u1.ids)

    # -- lot creation ------------------------------------------------------------------
    def test_lots_cannot_be_created_or_moved_into_the_first_company(self):
        Lot = self.env["stock.production.lot"].sudo(self.b_stock)
        count = self.env["stock.production.lot"].search_count([])
        with self.assertRaisesRegex(AccessError, "T Second Plant"):
            Lot.create({"name": "S-FORGED", "product_id": self.shared.id,
                        "company_id": self.company.id})
        own = Lot.create({"name": "S-B1", "product_id": self.shared.id})
        self.assertEqual(own.company_id, self.other, "defaults to the user's company")
        with self.assertRaises(AccessError):
            own.write({"company_id": self.company.id})
        self.assertEqual(own.company_id, self.other)
        self.assertEqual(self.env["stock.production.lot"].search_count([]), count + 1)
        # the same number in each company: two units, one each
        self.assertEqual(Lot.create({"name": "S1", "product_id": self.shared.id}).company_id,
                         self.other)

    def test_a_user_of_both_companies_creates_in_either(self):
        Lot = self.env["stock.production.lot"].sudo(self.both)
        self.assertEqual(Lot.create({"name": "S-BOTH-1", "product_id": self.shared.id})
                         .company_id, self.other)
        lot = Lot.create({"name": "S-BOTH-2", "product_id": self.shared.id,
                          "company_id": self.company.id})
        self.assertEqual(lot.company_id, self.company)
        # a product of the first company: its lots are the first company's
        self.assertEqual(Lot.create({"name": "U-BOTH", "product_id": self.pump.id})
                         .company_id, self.company)

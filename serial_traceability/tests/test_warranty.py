# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from .quality_common import QualityCase


class TestWarranty(QualityCase):

    def deliver(self, partner, lot, on_date=None):
        """Deliver ``lot``; ``on_date`` back-dates the delivery as if made that day."""
        picking = self.flow.sudo(self.stock_user)._deliver(partner, [(self.pump, 1, lot)])
        if on_date:
            # The host lets a done line's date be corrected; the warranty follows.
            picking.move_line_ids.write({"date": on_date + " 10:00:00"})
        return picking

    def claim(self, lot, on_date, kind="warranty_claim"):
        return self.new_event([lot], kind=kind, result=False, measurements=[],
                              date=on_date + " 09:00:00")

    def test_warranty_starts_at_first_customer_delivery(self):
        u1, _u2, _u3 = self.make_pumps()
        self.assertFalse(u1.warranty_start)
        self.assertEqual(u1.warranty_state, "not_started")
        picking = self.deliver(self.customer_a, u1)
        self.assertEqual(u1.warranty_start, picking.move_line_ids.date[:10])
        # 24 months from a delivery made today: active whatever day the test runs
        self.assertEqual(u1.warranty_state, "active")
        self.assertIn(u1, self.env["stock.production.lot"].search(
            [("warranty_state", "=", "active")]))
        picking.move_line_ids.write({"date": "2025-03-10 10:00:00"})
        self.assertEqual((u1.warranty_start, u1.warranty_end), ("2025-03-10", "2027-03-09"))

        # Back in, then sold again: the warranty still runs from the first delivery.
        self.flow._return(picking, [(self.pump, 1, u1)])
        picking.move_line_ids.write({"date": "2024-01-15 10:00:00"})
        self.assertEqual(u1.warranty_start, "2024-01-15")
        self.deliver(self.customer_b, u1)
        self.assertEqual(u1.warranty_start, "2024-01-15")
        self.assertEqual(u1.warranty_end, "2026-01-14")
        self.assertEqual(u1.warranty_state, "expired")
        self.assertIn(u1, self.env["stock.production.lot"].search(
            [("warranty_state", "=", "expired")]))

    def test_internal_moves_and_production_do_not_start_it(self):
        u1 = self.make_pumps(1)[0]
        wh = self.flow._warehouse()
        shelf = self.env["stock.location"].create(
            {"name": "Shelf", "usage": "internal", "location_id": wh.lot_stock_id.id})
        self.flow._transfer(wh.int_type_id, self.env["res.partner"], [(self.pump, 1, u1)],
                            location=wh.lot_stock_id, location_dest=shelf)
        self.assertFalse(u1.warranty_start)

    def test_claim_covered_at_its_own_date(self):
        u1, u2, _u3 = self.make_pumps()
        self.deliver(self.customer_a, u1, on_date="2024-01-15")
        self.assertEqual(u1.warranty_end, "2026-01-14")
        inside = self.claim(u1, "2025-06-01")
        last_day = self.claim(u1, "2026-01-14", kind="service")
        after = self.claim(u1, "2026-01-15", kind="repair")
        before = self.claim(u1, "2024-01-14")
        never_shipped = self.claim(u2, "2025-06-01")
        self.assertEqual([e.covered for e in (inside, last_day, after, before, never_shipped)],
                         [True, True, False, False, False])
        self.assertIn("2024-01-15 to 2026-01-14", inside.coverage_note)
        self.assertIn("not delivered", never_shipped.coverage_note)
        self.assertFalse(self.new_event([u1]).covered, "a test records no coverage")

        # A draft follows its date; an approved claim keeps what was true at approval.
        after.sudo(self.trace_user).date = "2025-12-01 09:00:00"
        self.assertTrue(after.covered)
        self.approve(inside)
        self.pump.product_tmpl_id.warranty_months = 6
        self.assertEqual(u1.warranty_end, "2024-07-14")
        self.assertTrue(inside.covered)
        self.assertEqual(inside.signature_state, "valid")
        self.approve(last_day)  # approval re-reads the warranty of the day
        self.assertFalse(last_day.covered)

    def test_product_without_warranty(self):
        u1 = self.make_pumps(1)[0]
        self.pump.product_tmpl_id.warranty_months = 0
        self.deliver(self.customer_a, u1)
        self.assertTrue(u1.warranty_start)
        self.assertFalse(u1.warranty_end)
        self.assertEqual(u1.warranty_state, "no_warranty")
        self.assertFalse(self.claim(u1, "2025-06-01").covered)

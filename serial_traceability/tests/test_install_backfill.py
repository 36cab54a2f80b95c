# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Installing on a database with history gives what the addon keeps as things happen.

The flows run with the addon installed (its triggers and hooks keep links, kept
closure, lot columns); then the derived state is wiped as a fresh install finds it
(no links, no closure, lot columns empty, no unique serial index) and the install's
backfills run on the whole database: every lot, link, closure row and trace must come
back the same. ``benchmarks/install_on_history.py`` does the same with a real
``-i`` on a database where the addon never was.
"""
import logging

from ..models.serial_install import STEPS
from .common import TraceabilityCase

LOT_COLUMNS = ("company_id", "production_id", "supplier_id", "customer_id", "ship_date",
               "unit_state", "delivery_picking_id", "current_location_id", "warranty_start",
               "warranty_end", "quality_state")
LOGGER = "odoo.addons.serial_traceability.models"


class TestInstallBackfill(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestInstallBackfill, cls).setUpClass()
        cls.pump.product_tmpl_id.warranty_months = 12

    def _history(self):
        """Receipts, a multi-serial PCB MO (one PCB of two capacitor lots), a
        multi-serial pump MO, deliveries, a return and re-shipment, an unbuild, a hold."""
        self.receive_components(mcus=3)
        self.build_pcbs([("P1", [("C1", 2)], "M1"), ("P2", [("C2", 2)], "M2"),
                         ("P3", [("C1", 1), ("C2", 1)], "M3")])
        pump_mo = self.build_pumps([("U1", "P1", "B1"), ("U2", "P2", "B1"),
                                    ("U3", "P3", "B1")])
        u1, u2, u3 = (self.lot(self.pump, name) for name in ("U1", "U2", "U3"))
        first = self.flow._deliver(self.customer_a, [(self.pump, 1, u1), (self.pump, 1, u2)])
        self.flow._return(first, [(self.pump, 1, u1)])
        self.flow._deliver(self.customer_b, [(self.pump, 1, u1)])
        self.env["mrp.unbuild"].create({
            "product_id": self.pump.id, "bom_id": self.pump_bom.id, "product_qty": 1,
            "product_uom_id": self.pump.uom_id.id, "mo_id": pump_mo.id, "lot_id": u3.id,
        }).action_unbuild()
        self.lot(self.pcb, "P3").with_context(serial_hold_change=True).sudo()._put_on_hold(
            "Solder joint suspect")
        return self.env["stock.production.lot"].search(
            [("product_id", "in", (self.cap | self.mcu | self.bat | self.pcb
                                   | self.pump).ids)])

    def _state(self, lots):
        cr = self.env.cr
        cr.execute("""SELECT move_line_id, component_lot_id, parent_lot_id, production_id,
                             company_id, product_id, qty, date, active, unbuild_id
                        FROM serial_genealogy_edge ORDER BY move_line_id""")
        links = cr.fetchall()
        cr.execute("SELECT * FROM serial_genealogy_reach ORDER BY 1, 2, 3, 4")
        closure = cr.fetchall()
        cr.execute("SELECT id, %s FROM stock_production_lot ORDER BY id" % ", ".join(LOT_COLUMNS))
        columns = cr.fetchall()
        traces = {(lot.name, direction): sorted(map(sorted, (r.items() for r in
                                                             lot.get_trace(direction))))
                  for lot in lots for direction in ("forward", "backward")}
        return {"links": links, "closure": closure, "lot columns": columns, "traces": traces}

    def _wipe(self):
        """The derived state as an install finds it: the lot columns the addon adds
        are new (empty), so are the link and closure tables."""
        cr = self.env.cr
        cr.execute("ALTER TABLE serial_genealogy_edge DISABLE TRIGGER serial_genealogy_reach_sync")
        cr.execute("DELETE FROM serial_genealogy_edge")
        cr.execute("ALTER TABLE serial_genealogy_edge ENABLE TRIGGER serial_genealogy_reach_sync")
        cr.execute("DELETE FROM serial_genealogy_reach")
        cr.execute("DROP INDEX stock_production_lot_serial_company_uniq")
        # a quality state is only filled where no quality event exists (at install
        # none does): the demo's events keep theirs
        cr.execute("""
            UPDATE stock_production_lot
               SET company_id = NULL, production_id = NULL, supplier_id = NULL,
                   customer_id = NULL, ship_date = NULL, unit_state = NULL,
                   delivery_picking_id = NULL, current_location_id = NULL,
                   warranty_start = NULL, warranty_end = NULL,
                   quality_state = CASE WHEN EXISTS (
                       SELECT 1 FROM serial_quality_event_lot_rel r WHERE r.lot_id = id)
                       THEN quality_state END""")
        self.env["stock.production.lot"].invalidate_cache()
        self.env["serial.genealogy.edge"].invalidate_cache()

    def _install(self):
        # the level as a number: Odoo names level 25 "INFO" too
        with self.assertLogs(LOGGER, logging.INFO) as logs:
            results = self.env["serial.install"]._install_backfill()
        return results, "\n".join(logs.output)

    def test_install_backfills_give_what_the_addon_kept(self):
        lots = self._history()
        before = self._state(lots)
        self.assertTrue(before["closure"])
        self.assertIn(False, [link[8] for link in before["links"]], "the unbuild retired links")
        held = self.lot(self.pcb, "P3")
        self.assertEqual((held.unit_state, held.quality_state), ("quarantined", "on_hold"))
        self.assertTrue(self.lot(self.pump, "U1").warranty_end)
        self._wipe()
        self.assertFalse(self.lot(self.pump, "U1").current_location_id)
        results, log = self._install()
        after = self._state(lots)
        for key in before:
            self.assertEqual(after[key], before[key], key)
        self.assertIn("Backfilling genealogy links: ", log)
        self.assertIn("Install backfill step closure: ", log)
        self.assertEqual(set(results) - {"skipped_lines"}, set(STEPS))
        self.assert_kept_closure_is_the_walk()
        entry = self.env["serial.audit.entry"].search([("action", "=", "install_backfill")],
                                                      order="sequence desc", limit=1)
        self.assertIn('"genealogy_links":%d' % len(after["links"]), entry.new_value)
        self.env.cr.execute("SELECT 1 FROM pg_indexes"
                            " WHERE indexname = 'stock_production_lot_serial_company_uniq'")
        self.assertTrue(self.env.cr.fetchone(), "the unique serial index is back")

    def test_unreadable_history_is_reported_and_skipped(self):
        """A done consumption line whose lot is another product's, a lot of a product
        without company that never moved, two such lots with one number: the install
        logs their ids, leaves them out and finishes."""
        self._history()
        cr = self.env.cr
        wrong = self.lot(self.cap, "C1")
        cr.execute("""
            INSERT INTO stock_move_line (move_id, product_id, product_uom_id, lot_id,
                   lot_produced_id, qty_done, product_qty, product_uom_qty, location_id,
                   location_dest_id, state, date)
            SELECT move_id, product_id, product_uom_id, %s, lot_produced_id, qty_done,
                   product_qty, product_uom_qty, location_id, location_dest_id, state, date
              FROM stock_move_line
             WHERE product_id = %s AND lot_produced_id IS NOT NULL AND state = 'done'
             LIMIT 1 RETURNING id""", (wrong.id, self.mcu.id))
        line_id = cr.fetchone()[0]
        shared = self.env["product.product"].create(
            {"name": "T Shared", "type": "product", "tracking": "serial", "company_id": False})
        other = self.env["res.company"].create({"name": "T Other company"})
        twins = self.env["stock.production.lot"].create(
            {"product_id": shared.id, "name": "TWIN"})
        twins |= self.env["stock.production.lot"].create(
            {"product_id": shared.id, "name": "TWIN", "company_id": other.id})
        self._wipe()
        with self.assertLogs(LOGGER, logging.WARNING) as logs:
            self.env["serial.install"]._install_backfill()
        log = "\n".join(logs.output)
        self.assertIn("Move line ids: %d" % line_id, log)
        self.assertRegex(log, r"Lot ids: .*\b%d, %d\b" % tuple(twins.ids))
        self.assertIn("lots sharing a number: %d, %d" % tuple(twins.ids), log)
        cr.execute("SELECT count(*) FROM serial_genealogy_edge WHERE move_line_id = %s",
                   (line_id,))
        self.assertEqual(cr.fetchone()[0], 0, "no link from the unreadable line")
        self.assertFalse(twins[0].company_id)
        self.assertEqual(self.names(wrong.get_genealogy("forward")), ["P1", "P3", "U1"])

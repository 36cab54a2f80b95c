# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The kept forward closure (``sql/genealogy_reach.py``): who reads it, and that
the trigger keeps it equal to the walk whatever happens to the links."""
import psycopg2
from hypothesis import HealthCheck, given, settings, strategies as st

from odoo.sql_db import db_connect
from odoo.tests.common import SavepointCase

from .common import TraceabilityCase

LOTS = 6
# (operation, a, b, c): add a link lot a -> lot b through MO c; retire (unbuild),
# delete, reactivate or re-point (to lots a -> b) the link number a among those made.
OPERATIONS = st.lists(st.tuples(
    st.sampled_from(("add", "add", "add", "retire", "delete", "reactivate", "move")),
    st.integers(0, LOTS - 1), st.integers(0, LOTS - 1), st.integers(0, 1)),
    min_size=1, max_size=14)


class TestKeptClosure(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestKeptClosure, cls).setUpClass()
        cls.lots = [cls.env["stock.production.lot"].create(
            {"name": "K%d" % i, "product_id": cls.pcb.id}) for i in range(LOTS)]
        cls.mos = [cls.flow._start_production(cls.pcb, 1, cls.pcb_bom) for _i in range(2)]

    def _apply(self, operations):
        cr, links = self.env.cr, []
        company = self.env.user.company_id.id
        for operation, a, b, c in operations:
            if operation == "add":
                cr.execute("""
                    INSERT INTO serial_genealogy_edge (component_lot_id, parent_lot_id,
                        production_id, company_id, product_id, qty, active)
                    VALUES (%s, %s, %s, %s, %s, 1, TRUE) RETURNING id
                """, (self.lots[a].id, self.lots[b].id, self.mos[c].id, company, self.pcb.id))
                links.append(cr.fetchone()[0])
            elif links:
                link = links[a % len(links)]
                if operation == "delete":
                    cr.execute("DELETE FROM serial_genealogy_edge WHERE id = %s", (link,))
                elif operation == "move":
                    cr.execute("UPDATE serial_genealogy_edge SET component_lot_id = %s,"
                               " parent_lot_id = %s WHERE id = %s",
                               (self.lots[a].id, self.lots[b].id, link))
                else:
                    cr.execute("UPDATE serial_genealogy_edge SET active = %s WHERE id = %s",
                               (operation == "reactivate", link))

    @settings(max_examples=80, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(OPERATIONS)
    def test_trigger_keeps_the_closure_equal_to_the_walk(self, operations):
        """Random link histories over six lots -- cycles, self-links, parallel links,
        unbuilds, deletions, re-pointed links -- leave the kept closure equal to the
        walk of the links that remain."""
        self.env.cr.execute("SAVEPOINT kept_closure")
        try:
            self._apply(operations)
            self.assert_kept_closure_is_the_walk()
        finally:
            self.env.cr.execute("ROLLBACK TO SAVEPOINT kept_closure")

    def test_rebuild_from_scratch_gives_the_kept_rows(self):
        """The fill an update of the addon runs gives what the trigger kept."""
        self._apply([("add", 0, 1, 0), ("add", 1, 2, 0), ("add", 2, 1, 1), ("add", 0, 2, 1),
                     ("add", 3, 0, 0), ("retire", 1, 0, 0)])
        cr = self.env.cr
        cr.execute("SELECT * FROM serial_genealogy_reach ORDER BY 1, 2, 3, 4")
        kept = cr.fetchall()
        self.assertTrue(kept)
        cr.execute("DELETE FROM serial_genealogy_reach")
        cr.execute("SELECT serial_genealogy_reach_rebuild(ARRAY(SELECT DISTINCT"
                   " component_lot_id FROM serial_genealogy_edge WHERE active))")
        cr.execute("SELECT * FROM serial_genealogy_reach ORDER BY 1, 2, 3, 4")
        self.assertEqual(cr.fetchall(), kept)

    def test_one_turn_per_transaction(self):
        """The state row that makes link changes take turns is updated once per
        transaction, however many links it changes."""
        cr = self.env.cr
        cr.execute("SELECT version FROM serial_genealogy_reach_state")
        before = cr.fetchone()[0]
        self._apply([("add", 0, 1, 0), ("add", 1, 2, 0), ("add", 2, 3, 1), ("retire", 0, 0, 0)])
        cr.execute("SELECT version FROM serial_genealogy_reach_state")
        self.assertEqual(cr.fetchone()[0], before + 1)

    def test_who_reads_the_kept_closure(self):
        """A user who may see every company reads the kept closure; one who may not
        walks the links of their companies."""
        self._apply([("add", 0, 1, 0), ("add", 1, 2, 0)])
        root = self.lots[0]
        expected = [self.lots[1].id, self.lots[2].id]
        companies = self.env["res.company"].search([])
        self.stock_user.company_ids = [(6, 0, companies.ids)]
        as_user = root.sudo(self.stock_user)
        self.assertEqual(sorted(r["lot_id"] for r in as_user.get_trace("forward")), expected)
        # Emptied behind the trigger's back, the kept closure answers nothing: proof
        # of who reads it.
        self.env.cr.execute("DELETE FROM serial_genealogy_reach WHERE root_lot_id = %s",
                            (root.id,))
        self.assertEqual(as_user.get_genealogy("forward"), [])
        self.assertEqual(as_user.get_trace("forward"), [])
        # A company beyond the user: the walk, over the links of their companies.
        self.env["res.company"].create({"name": "T Second Co"})
        self.assertEqual(sorted(r["lot_id"] for r in as_user.get_genealogy("forward")),
                         expected)
        self.assertEqual(sorted(r["lot_id"] for r in as_user.get_trace("forward")), expected)
        self.assertEqual(len(as_user.get_genealogy("forward", max_depth=1)), 1)

    def test_uninstall_hook_leaves_no_trigger_on_the_host(self):
        """After the hook and Odoo's own drop of the addon's tables, the host's done
        move lines can still be written (the test's savepoint undoes it all)."""
        from ..hooks import uninstall_hook
        self.receive_components()
        uninstall_hook(self.env.cr, self.env.registry)
        cr = self.env.cr
        cr.execute("DROP TABLE serial_genealogy_edge CASCADE")  # as Odoo's uninstall does
        cr.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'serial_genealogy%'"
                   " UNION ALL SELECT count(*) FROM pg_proc WHERE proname LIKE"
                   " 'serial_genealogy%'")
        self.assertEqual([row[0] for row in cr.fetchall()], [0, 0])
        cr.execute("SELECT to_regclass('serial_genealogy_reach'),"
                   " to_regclass('serial_genealogy_reach_state')")
        self.assertEqual(cr.fetchone(), (None, None))
        cr.execute("UPDATE stock_move_line SET qty_done = qty_done WHERE state = 'done'")
        self.assertTrue(cr.rowcount)


class TestKeptClosureConcurrency(SavepointCase):
    """Two committed transactions of their own: in a class of its own, so that no
    other test's transaction, older than those commits, changes links afterwards."""

    def test_concurrent_link_changes_take_turns(self):
        """A transaction whose snapshot predates another's committed link change gets
        a serialization failure (Odoo retries the request) instead of adding rows
        computed without that link. Two committed transactions on the demo's lots:
        the link made is removed again at the end."""
        first, second = db_connect(self.env.cr.dbname).cursor(), db_connect(
            self.env.cr.dbname).cursor()
        link = None
        try:
            first.execute("SELECT array_agg(id ORDER BY id) FROM (SELECT id FROM"
                          " stock_production_lot ORDER BY id LIMIT 3) l")
            lots = first.fetchone()[0]
            first.execute("SELECT id, company_id FROM mrp_production ORDER BY id LIMIT 1")
            mo, company = first.fetchone()
            self.assertEqual(len(lots), 3, "the test database has the demo's lots")
            insert = ("INSERT INTO serial_genealogy_edge (component_lot_id, parent_lot_id,"
                      " production_id, company_id, qty, active) VALUES (%s, %s, %s, %s, 1,"
                      " TRUE) RETURNING id")
            second.execute("SELECT version FROM serial_genealogy_reach_state")  # snapshot
            first.execute(insert, (lots[0], lots[1], mo, company))
            link = first.fetchone()[0]
            first.commit()
            with self.assertRaises(psycopg2.extensions.TransactionRollbackError):
                second.execute(insert, (lots[1], lots[2], mo, company))
            second.rollback()
            # retried, as Odoo does, it sees the first link and extends its closure
            second.execute(insert, (lots[1], lots[2], mo, company))
            second.execute("SELECT depth FROM serial_genealogy_reach WHERE root_lot_id = %s"
                           " AND lot_id = %s", (lots[0], lots[2]))
            self.assertEqual(second.fetchall(), [(2,)])
            second.rollback()
        finally:
            if link:
                first.execute("DELETE FROM serial_genealogy_edge WHERE id = %s", (link,))
                first.commit()
            first.close()
            second.close()

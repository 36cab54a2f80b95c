# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading
import time
import uuid

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests.common import SavepointCase


class TestConcurrentCursors(SavepointCase):
    """Two transactions create the same serial at the same moment; the database decides.

    The test transaction cannot take part (a second connection cannot see its rows),
    so two fresh cursors race on a product committed for the purpose; the winner's
    lot is inserted by SQL (no audit entry left behind), the loser rolls back, and
    the product and lot are deleted afterwards. The class makes no fixtures: a user
    created in its transaction would be an audit entry, whose lock the loser's own
    entries would wait for until the test ends."""

    def race(self, winner_name, loser_action, pattern=False):
        """The winner inserts ``winner_name`` and commits only once the loser, running
        ``loser_action(env, product_id)`` in a thread, waits on that row."""
        registry = self.registry
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            product = env["product.product"].create({
                "name": "T Race " + winner_name, "type": "product", "tracking": "serial",
                "serial_pattern": pattern})
            product_id, company_id = product.id, env.user.company_id.id
        outcome = {}

        def loser():
            with api.Environment.manage(), registry.cursor() as cr:
                cr.execute("SET LOCAL lock_timeout = '30s'")
                outcome["pid"] = cr._cnx.get_backend_pid()
                env = api.Environment(cr, SUPERUSER_ID, {})
                try:
                    outcome["created"] = loser_action(env, product_id)
                except UserError as exc:
                    outcome["error"] = exc.name
                finally:
                    cr.rollback()

        winner_cr = registry.cursor()
        try:
            winner_cr.execute("""
                INSERT INTO stock_production_lot (name, product_id, company_id)
                VALUES (%s, %s, %s)""", (winner_name, product_id, company_id))
            thread = threading.Thread(target=loser)
            thread.start()
            deadline = time.time() + 30
            while time.time() < deadline and thread.is_alive():
                if "pid" in outcome:
                    self.cr.execute("SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted",
                                    (outcome["pid"],))
                    if self.cr.rowcount:
                        break
                time.sleep(0.05)
            self.assertTrue(thread.is_alive(), outcome)
            winner_cr.commit()
            thread.join(60)
        finally:
            winner_cr.rollback()
            winner_cr.close()
            with registry.cursor() as cr:
                cr.execute("DELETE FROM stock_production_lot WHERE product_id = %s",
                           (product_id,))
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["product.product"].browse(product_id).product_tmpl_id.unlink()
        return outcome

    def test_loser_of_a_race_gets_the_clear_error(self):
        name = "RACE-%s" % uuid.uuid4().hex[:8]
        outcome = self.race(name, lambda env, product_id: env["stock.production.lot"].create(
            {"name": name, "product_id": product_id}).name)
        self.assertNotIn("created", outcome)
        self.assertIn('"%s"' % name, outcome.get("error", ""))
        self.assertIn("already exists", outcome["error"])
        self.assertIn("just created by someone else", outcome["error"])

    def test_generation_racing_a_typed_number_takes_the_next_one(self):
        prefix = "R%s" % uuid.uuid4().hex[:6].upper()
        outcome = self.race(prefix + "-01", lambda env, product_id: env[
            "stock.production.lot"].browse(env["stock.production.lot"].generate_serials(
                product_id, 2)).mapped("name"), pattern=prefix + "-{seq:2}")
        self.assertNotIn("error", outcome)
        self.assertEqual(outcome["created"], [prefix + "-03", prefix + "-02"])

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a reading of the code found: each a behaviour that once was wrong."""
import ast
import os

from .quality_common import QualityCase

TESTS_DIR = os.path.dirname(__file__)


class TestCodebase(QualityCase):

    def test_every_test_module_is_registered_with_odoo_runner(self):
        """``--test-enable`` runs only the modules tests/__init__.py imports."""
        with open(os.path.join(TESTS_DIR, "__init__.py")) as init:
            tree = ast.parse(init.read())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    for alias in node.names}
        on_disk = {name[:-3] for name in os.listdir(TESTS_DIR)
                   if name.startswith("test_") and name.endswith(".py")}
        self.assertEqual(sorted(on_disk - imported), [])

    def test_corrected_delivery_date_is_the_ship_date(self):
        pump = self.make_pumps(1)[0]
        picking = self.flow.sudo(self.stock_user)._deliver(self.customer_a, [(self.pump, 1, pump)])
        self.assertEqual(pump.ship_date, picking.move_line_ids.date)
        picking.move_line_ids.sudo(self.stock_user).write({"date": "2025-03-10 10:00:00"})
        self.assertEqual(pump.ship_date, "2025-03-10 10:00:00")

    def test_manifest_declares_the_python_packages_it_imports(self):
        manifest_path = os.path.join(os.path.dirname(TESTS_DIR), "__manifest__.py")
        with open(manifest_path) as manifest:
            declared = ast.literal_eval(manifest.read())["external_dependencies"]["python"]
        self.assertIn("barcode", declared)  # lib/serial_label.py: python-barcode
        self.assertIn("treepoem", declared)  # lib/serial_datamatrix.py: GS1 DataMatrix

    def test_uninstall_restores_the_host_lot_constraint(self):
        from ..hooks import uninstall_hook
        cr = self.env.cr
        uninstall_hook(cr, self.env.registry)
        cr.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                   " WHERE conname = 'stock_production_lot_name_ref_uniq'")
        self.assertEqual(cr.fetchall(), [("UNIQUE (name, product_id)",)])
        cr.execute("SELECT to_regclass('stock_production_lot_serial_company_uniq')")
        self.assertEqual(cr.fetchone(), (None,))

    def test_uninstall_keeps_going_when_serials_repeat_across_companies(self):
        """Two companies' units of a shared product may share a number: the host's
        constraint cannot come back then, and the uninstall must still finish."""
        from ..hooks import uninstall_hook
        other = self.env["res.company"].create({"name": "T Other Co"})
        Lot = self.env["stock.production.lot"]
        Lot.create({"name": "DUP-1", "product_id": self.pump.id,
                    "company_id": self.env.user.company_id.id})
        Lot.create({"name": "DUP-1", "product_id": self.pump.id, "company_id": other.id})
        cr = self.env.cr
        uninstall_hook(cr, self.env.registry)
        cr.execute("SELECT count(*) FROM pg_constraint"
                   " WHERE conname = 'stock_production_lot_name_ref_uniq'")
        self.assertEqual(cr.fetchone(), (0,))

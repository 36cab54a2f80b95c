# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Generate serials on a receipt (issue 19, item 4): the new lots' stored computed
fields are written with their rows, not computed lot by lot, and hold what the ORM
computes for them; the ORM's path (``serial_traceability_host_path=True``) leaves the
same lots."""
from unittest.mock import patch

from odoo.exceptions import AccessError

from .common import TraceabilityCase

HOST = {"serial_traceability_host_path": True}
UNITS = 25  # per product: 50 units a receipt
LOT_COLUMNS = ("release_state", "quality_state", "warranty_start", "warranty_end",
               "unit_state", "supplier_id", "company_id", "vendor_lot", "quality_hold",
               "release_date")


class TestGenerateBatch(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestGenerateBatch, cls).setUpClass()
        cls.warehouse = cls.flow._warehouse()
        cls.pump.product_tmpl_id.write({"serial_requires_release": True, "warranty_months": 24,
                                        "serial_pattern": "PMP-{seq:5}"})
        cls.pcb.product_tmpl_id.write({"serial_pattern": "PCB-{seq:5}"})
        cls.Lot = cls.env["stock.production.lot"]
        cls.plain_user = cls._user("t_plain_user", ["base.group_user"])

    def receipt(self, user):
        in_type = self.warehouse.in_type_id
        env = self.env(user=user.id)
        picking = env["stock.picking"].create({
            "picking_type_id": in_type.id, "partner_id": self.supplier.id,
            "location_id": self.supplier.property_stock_supplier.id,
            "location_dest_id": in_type.default_location_dest_id.id})
        for product in (self.pump, self.pcb):
            env["stock.move"].create({
                "name": product.name, "picking_id": picking.id, "product_id": product.id,
                "product_uom": product.uom_id.id, "product_uom_qty": UNITS,
                "picking_type_id": in_type.id, "location_id": picking.location_id.id,
                "location_dest_id": picking.location_dest_id.id})
        picking.action_confirm()
        return picking

    def generate(self, picking, user, context=None):
        wizard = self.env["serial.generate.wizard"].sudo(user).with_context(
            default_picking_id=picking.id, **(context or {})).create({"print_labels": False})
        wizard.action_generate()
        self.env.cache.invalidate()
        return picking.move_line_ids.mapped("lot_id")

    def stored_computed(self):
        return sorted(name for name, field in self.Lot._fields.items()
                      if field.store and field.compute and field.column_type)

    def columns(self, lots, names):
        self.env.cr.execute(
            "SELECT product_id, %s FROM stock_production_lot WHERE id = ANY(%%s) ORDER BY id"
            % ", ".join('"%s"' % n for n in names), (lots.ids,))
        return self.env.cr.fetchall()

    def recomputed(self, lots, names):
        """The same columns after the ORM computed every stored computed field again."""
        lots.invalidate_cache()
        for name in names:
            self.env.add_todo(self.Lot._fields[name], lots)
        lots.recompute()
        self.env.cache.invalidate()
        return self.columns(lots, names)

    def test_new_lots_hold_what_the_orm_computes(self):
        names = self.stored_computed()
        self.assertTrue({"release_state", "quality_state", "warranty_start",
                         "warranty_end"} <= set(names))
        picking = self.receipt(self.stock_user)
        calls = []
        Lot = type(self.Lot)
        original = Lot._compute_release_state

        def counted(lots):
            calls.append(len(lots))
            return original(lots)

        with patch.object(Lot, "_compute_release_state", counted):
            lots = self.generate(picking, self.stock_user)
        self.assertEqual(len(lots), 2 * UNITS)
        # written with the rows, not computed lot by lot
        self.assertFalse(calls, "release_state was computed by the ORM")
        written = self.columns(lots, names)
        by_product = {}
        for row in written:
            by_product.setdefault(row[0], set()).add(row[1:])
        states = dict(zip(names, zip(*[sorted(by_product[p.id])[0]
                                       for p in (self.pump, self.pcb)])))
        self.assertEqual(states["release_state"], ("pending", "not_required"))
        self.assertEqual(states["quality_state"], ("untested", "untested"))
        self.assertEqual(states["warranty_start"], (None, None))
        self.assertEqual(len(by_product[self.pump.id]), 1)
        self.assertEqual(len(by_product[self.pcb.id]), 1)
        # what the ORM computes for them, fields invalidated and computed again
        self.assertEqual(written, self.recomputed(lots, names))

    def test_same_lots_as_the_orm_path(self):
        ends = []
        for context in ({}, HOST):
            picking = self.receipt(self.stock_user)
            lots = self.generate(picking, self.stock_user, context)
            self.assertEqual(len(lots), 2 * UNITS)
            rows = self.columns(lots, LOT_COLUMNS)
            # the lots' audit entries, their numbers (each path's own) aside
            self.env.cr.execute("""
                SELECT e.action, e.field, e.user_id, e.company_id,
                       replace(replace(e.new_value, l.name, 'N'), e.res_name, 'R')
                  FROM serial_audit_entry e JOIN stock_production_lot l ON l.id = e.res_id
                 WHERE e.res_model = 'stock.production.lot' AND e.res_id = ANY(%s)
                 ORDER BY e.res_id, e.id""", (lots.ids,))
            audit = self.env.cr.fetchall()
            self.assertEqual(len(audit), 2 * UNITS)
            rows = (rows, audit)
            # validated afterwards: same state on both paths
            picking.sudo(self.stock_user).button_validate()
            self.env.cache.invalidate()
            self.assertEqual(picking.state, "done")
            ends.append((rows, self.columns(lots, LOT_COLUMNS + ("current_location_id",))))
        self.assertEqual(ends[0], ends[1])
        pending = [row for row in ends[0][0][0] if row[1] == "pending"]
        self.assertEqual(len(pending), UNITS)

    def test_known_value_not_used_when_a_dependency_is_given(self):
        self.assertEqual(self.Lot._serial_known_values(self.pump, {"name", "product_id"}),
                         {"release_state": "pending", "quality_state": "untested",
                          "warranty_start": False, "warranty_end": False,
                          "product_uom_id": self.pump.uom_id.id})
        known = self.Lot._serial_known_values(self.pump, {"product_id", "release_date"})
        self.assertNotIn("release_state", known)
        self.assertIn("quality_state", known)
        self.assertEqual(self.Lot.with_context(**HOST)._serial_known_values(
            self.pump, {"product_id"}), {})

    def test_user_without_stock_rights_refused(self):
        picking = self.receipt(self.stock_user)
        with self.assertRaises(AccessError):
            self.generate(picking, self.plain_user)
        self.assertFalse(picking.move_line_ids.mapped("lot_id"))

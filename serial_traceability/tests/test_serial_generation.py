# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time

import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from ..lib import gs1
from .common import TraceabilityCase


def gtin(body12):
    """A valid GTIN-14 from 12 digits (0 + body + check), unlike the demo's."""
    digits = "0" + body12
    return digits + gs1.gtin_check_digit(digits)


class SerialGenerationCase(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(SerialGenerationCase, cls).setUpClass()
        cls.Lot = cls.env["stock.production.lot"]
        cls.warehouse = cls.flow._warehouse()
        cls.company = cls.env.user.company_id
        # a counter of its own for the tests, whatever the database has used
        cls.company.write({"serial_pattern": "CO{seq:6}", "serial_sequence_id": False})
        cls.categ = cls.env["product.category"].create({
            "name": "T Sensors", "serial_code": "SEN", "serial_pattern": "{categ}{yy}-{seq:5}"})
        cls.sensor = cls.env["product.product"].create({
            "name": "T Sensor", "type": "product", "tracking": "serial",
            "default_code": "TS1", "barcode": gtin("950612345001"),
            "serial_pattern": "{prod}-{wh}-{seq:4}{check}"})
        cls.glue = cls.env["product.product"].create({
            "name": "T Glue", "type": "product", "tracking": "lot", "categ_id": cls.categ.id})
        cls.meter = cls.env["product.product"].create({
            "name": "T Meter", "type": "product", "tracking": "serial",
            "default_code": "TM", "serial_preassign_mo": True,
            "serial_pattern": "MTR-{seq:4}"})
        cls.meter_bom = cls._bom(cls.meter, [(cls.hsg, 1)])
        cls.mrp_user = cls._user("t_mrp_user", ["mrp.group_mrp_user", "stock.group_stock_user"])
        cls.plain_user = cls._user("t_plain_user", ["base.group_user"])

    def receipt(self, lines):
        """A confirmed receipt as the UI makes it: moves know their operation type, so
        the host creates one operation line per serial-tracked unit."""
        in_type = self.warehouse.in_type_id
        picking = self.env["stock.picking"].create({
            "picking_type_id": in_type.id, "partner_id": self.supplier.id,
            "location_id": self.supplier.property_stock_supplier.id,
            "location_dest_id": in_type.default_location_dest_id.id,
        })
        for product, qty in lines:
            self.env["stock.move"].create({
                "name": product.name, "picking_id": picking.id, "product_id": product.id,
                "product_uom": product.uom_id.id, "product_uom_qty": qty,
                "picking_type_id": in_type.id, "location_id": picking.location_id.id,
                "location_dest_id": picking.location_dest_id.id,
            })
        picking.action_confirm()
        return picking

    def generate(self, picking, user, vendor=None, print_labels=False):
        wizard = self.env["serial.generate.wizard"].sudo(user).with_context(
            default_picking_id=picking.id).create({"print_labels": print_labels})
        for line in wizard.line_ids:
            if vendor and line.product_id in vendor:
                line.vendor_codes = vendor[line.product_id]
        return wizard.action_generate()


class TestPatterns(SerialGenerationCase):

    def test_pattern_comes_from_product_then_category_then_company(self):
        self.assertEqual(self.sensor.serial_pattern_source, "This product")
        self.assertEqual(self.glue.serial_pattern_source, "Category T Sensors")
        self.assertTrue(self.mcu.serial_pattern_source.startswith("Company default"))
        sub = self.env["product.category"].create({"name": "T Sub", "parent_id": self.categ.id})
        self.glue.categ_id = sub
        self.assertEqual(self.glue.serial_pattern_source, "Category T Sensors")
        yy = time.strftime("%y")
        self.assertEqual(self.glue.serial_pattern_preview,
                         "SEN%s-00001, SEN%s-00002, SEN%s-00003" % (yy, yy, yy))
        self.assertEqual(self.mcu.serial_pattern_preview, "CO000001, CO000002, CO000003")
        wh = self.warehouse.code
        names = self.Lot.browse(self.Lot.generate_serials(self.sensor.id, 2)).mapped("name")
        self.assertEqual([n[:-1] for n in names], ["TS1-%s-0001" % wh, "TS1-%s-0002" % wh])
        self.assertTrue(all(gs1.CSET82.issuperset(n) for n in names))

    def test_preview_shows_next_numbers_without_using_them(self):
        self.Lot.generate_serials(self.mcu.id, 2)
        sequence = self.company.serial_sequence_id
        before = sequence.number_next_actual
        self.mcu.product_tmpl_id.invalidate_cache()
        self.assertEqual(self.mcu.serial_pattern_preview, "CO000003, CO000004, CO000005")
        self.mcu.product_tmpl_id.invalidate_cache()
        self.assertEqual(self.mcu.serial_pattern_preview, "CO000003, CO000004, CO000005")
        sequence.invalidate_cache()
        self.assertEqual(sequence.number_next_actual, before)
        lot = self.Lot.browse(self.Lot.generate_serials(self.mcu.id, 1))
        self.assertEqual(lot.name, "CO000003")

    def test_invalid_pattern_is_refused_with_the_reason(self):
        with self.assertRaisesRegex(ValidationError, "exactly one counter"):
            self.sensor.serial_pattern = "X{seq}{seq}"
        with self.assertRaisesRegex(ValidationError, r"Unknown placeholder \{lot\}"):
            self.categ.serial_pattern = "{lot}{seq}"
        with self.assertRaisesRegex(ValidationError, "at most 20"):
            self.company.serial_pattern = "ABCDEFGHIJKLMNOPQRSTU{seq}"

    def test_pattern_missing_context_is_refused_before_numbers_are_used(self):
        self.meter.default_code = False
        self.meter.serial_pattern = "{prod}{seq}"
        with self.assertRaisesRegex(UserError, "internal reference is not set"):
            self.Lot.generate_serials(self.meter.id, 1)
        self.assertFalse(self.meter.serial_sequence_id)
        self.assertIn("internal reference is not set", self.meter.serial_pattern_preview)

    def test_gap_policy_switch_keeps_counting(self):
        self.company.serial_gap_policy = "no_gap"
        first = self.Lot.browse(self.Lot.generate_serials(self.mcu.id, 2))
        sequence = self.company.serial_sequence_id
        self.assertEqual(sequence.implementation, "no_gap")
        self.assertEqual(first.mapped("name"), ["CO000001", "CO000002"])
        self.company.serial_gap_policy = "standard"
        self.assertEqual(sequence.implementation, "standard")
        self.assertEqual(self.Lot.browse(self.Lot.generate_serials(self.mcu.id, 1)).name,
                         "CO000003")
        # a product's own counter follows the company unless it has its own policy
        self.Lot.generate_serials(self.meter.id, 1)
        self.company.serial_gap_policy = "no_gap"
        self.assertEqual(self.meter.serial_sequence_id.implementation, "no_gap")
        self.meter.serial_gap_policy = "standard"
        self.assertEqual(self.meter.serial_sequence_id.implementation, "standard")
        self.assertEqual(self.Lot.browse(self.Lot.generate_serials(self.meter.id, 1)).name,
                         "MTR-0002")

    def test_rpc_arguments_are_checked(self):
        with self.assertRaisesRegex(UserError, "product as its id"):
            self.Lot.generate_serials("T Sensor", 1)
        with self.assertRaisesRegex(UserError, "1 to"):
            self.Lot.generate_serials(self.sensor.id, 0)
        with self.assertRaisesRegex(UserError, "not tracked"):
            self.Lot.generate_serials(self.hsg.id, 1)
        with self.assertRaisesRegex(UserError, "does not exist"):
            self.Lot.generate_serials(999999999, 1)
        with self.assertRaises(AccessError):
            self.Lot.sudo(self.plain_user).generate_serials(self.sensor.id, 1)


class TestReceipt(SerialGenerationCase):

    def test_receipt_gets_one_serial_per_unit_and_one_lot_per_line(self):
        picking = self.receipt([(self.sensor, 5), (self.glue, 30)])
        self.assertEqual(len(picking.move_line_ids), 6)  # the host: 5 unit lines + 1
        scans = "\n".join(gs1.build_element_string([("01", self.sensor.barcode),
                                                    ("21", "V%d" % i)]) for i in range(5))
        self.generate(picking, self.stock_user, vendor={self.sensor: scans,
                                                        self.glue: "VLOT-9"})
        sensor_lines = picking.move_line_ids.filtered(lambda ml: ml.product_id == self.sensor)
        self.assertEqual(sensor_lines.mapped("qty_done"), [1.0] * 5)
        serials = sensor_lines.mapped("lot_id")
        self.assertEqual(len(serials), 5)
        self.assertEqual(sensor_lines.mapped("lot_name"), serials.mapped("name"))
        wh = self.warehouse.code
        self.assertEqual([s.name[:-1] for s in serials],
                         ["TS1-%s-%04d" % (wh, i) for i in range(1, 6)])
        self.assertEqual(serials.mapped("vendor_lot"), ["V%d" % i for i in range(5)])
        self.assertEqual(set(serials.mapped("create_uid")), {self.stock_user})
        self.assertEqual(set(serials.mapped("company_id")), {picking.company_id})
        self.assertEqual(set(serials.mapped("product_uom_id")), {self.sensor.uom_id})
        glue_lines = picking.move_line_ids.filtered(lambda ml: ml.product_id == self.glue)
        glue_lot = glue_lines.mapped("lot_id")
        self.assertEqual(len(glue_lot), 1)
        self.assertEqual(sum(glue_lines.mapped("qty_done")), 30)
        self.assertEqual(glue_lot.vendor_lot, "VLOT-9")
        self.assertRegex(glue_lot.name, r"^SEN\d\d-00001$")
        picking.sudo(self.stock_user).button_validate()
        self.assertEqual(picking.state, "done")
        for lot in serials:
            self.assertEqual(lot.product_qty, 1)
        self.assertEqual(glue_lot.product_qty, 30)

    def test_missing_operation_lines_are_added(self):
        picking = self.receipt([(self.sensor, 3)])
        picking.move_line_ids[0].unlink()
        self.generate(picking, self.stock_user)
        lines = picking.move_line_ids
        self.assertEqual(len(lines), 3)
        self.assertEqual(len(lines.mapped("lot_id")), 3)
        self.assertEqual(set(lines.mapped("state")), {picking.move_lines.state})
        self.assertEqual(set(lines.mapped("reference")), {picking.name})
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_partly_numbered_receipt_numbers_only_the_rest(self):
        picking = self.receipt([(self.sensor, 3)])
        first = picking.move_line_ids[0]
        first.write({"lot_name": "HAND-1", "qty_done": 1})
        self.generate(picking, self.stock_user)
        self.assertEqual(len(picking.move_line_ids.mapped("lot_id")), 2)
        self.assertEqual(first.lot_name, "HAND-1")
        with self.assertRaisesRegex(UserError, "already has its numbers"):
            self.generate(picking, self.stock_user)

    def test_wrong_number_of_vendor_codes_writes_nothing(self):
        picking = self.receipt([(self.sensor, 3)])
        count = self.Lot.search_count([("product_id", "=", self.sensor.id)])
        with self.assertRaisesRegex(UserError, "2 vendor numbers for 3"):
            self.generate(picking, self.stock_user, vendor={self.sensor: "A\nB"})
        self.assertEqual(self.Lot.search_count([("product_id", "=", self.sensor.id)]), count)
        self.assertFalse(picking.move_line_ids.mapped("lot_id"))

    def test_bad_gs1_vendor_scan_is_refused(self):
        picking = self.receipt([(self.glue, 5)])
        with self.assertRaisesRegex(UserError, "check digit"):
            self.generate(picking, self.stock_user, vendor={self.glue: "(01)09506000134353"})

    def test_user_without_stock_rights_cannot_generate(self):
        picking = self.receipt([(self.sensor, 2)])
        with self.assertRaises(AccessError):
            self.generate(picking, self.plain_user)

    def test_only_receipts(self):
        picking = self.flow._receive(self.supplier, [(self.sensor, 1, "IN-1")])
        with self.assertRaisesRegex(UserError, "already done"):
            self.generate(picking, self.stock_user)


class TestProductionRelease(SerialGenerationCase):

    def produce_with_defaults(self, production, user):
        wizard = self.env["mrp.product.produce"].sudo(user).with_context(
            active_id=production.id, active_ids=production.ids).create({})
        lot = wizard.lot_id
        wizard.do_produce()
        return lot

    def test_mo_preassigns_and_proposes_serials_in_order(self):
        mo = self.flow._start_production(self.meter, 3, self.meter_bom)
        mo = mo.sudo(self.mrp_user)
        lots = mo.serial_preassigned_lot_ids.sorted("id")
        self.assertEqual(lots.mapped("name"), ["MTR-0001", "MTR-0002", "MTR-0003"])
        self.assertEqual(mo.serial_unused_count, 3)
        self.assertEqual(self.produce_with_defaults(mo, self.mrp_user), lots[0])
        # the operator scans another serial instead: the proposal stays where it was
        other = self.Lot.create({"name": "MTR-HAND", "product_id": self.meter.id})
        self.flow.sudo(self.mrp_user)._produce(mo, 1, other, [])
        self.assertEqual(self.produce_with_defaults(mo, self.mrp_user), lots[1])
        self.assertEqual(mo._serial_unused_lots(), lots[2])
        self.assertEqual(lots[0].serial_preassigned_state, "used")
        self.assertEqual(lots[2].serial_preassigned_state, "unused")

    def test_cancelled_mo_keeps_unused_serials_and_never_lends_them(self):
        mo = self.env["mrp.production"].sudo(self.mrp_user).create({
            "product_id": self.meter.id, "product_qty": 2,
            "product_uom_id": self.meter.uom_id.id, "bom_id": self.meter_bom.id})
        cancelled = mo.serial_preassigned_lot_ids
        self.assertEqual(len(cancelled), 2)
        mo.action_cancel()
        unused = self.Lot.search([("serial_preassigned_state", "=", "unused"),
                                  ("product_id", "=", self.meter.id)])
        self.assertEqual(unused, cancelled)
        self.assertIn("stay with this order", mo.message_ids[0].body)
        other = self.flow._start_production(self.meter, 1, self.meter_bom)
        self.assertEqual(other.serial_preassigned_lot_ids.name, "MTR-0003")
        self.assertEqual(self.produce_with_defaults(other, self.mrp_user).name, "MTR-0003")
        self.assertEqual(cancelled.mapped("serial_preassigned_state"), ["unused"] * 2)

    def test_quantity_increase_tops_up_and_lot_products_get_one_lot(self):
        mo = self.flow._start_production(self.meter, 1, self.meter_bom)
        self.env["change.production.qty"].create(
            {"mo_id": mo.id, "product_qty": 3}).change_prod_qty()
        self.assertEqual(len(mo.serial_preassigned_lot_ids), 3)
        self.glue.serial_preassign_mo = True
        glue_bom = self._bom(self.glue, [(self.hsg, 1)])
        lot_mo = self.flow._start_production(self.glue, 40, glue_bom)
        self.assertEqual(len(lot_mo.serial_preassigned_lot_ids), 1)
        self.assertEqual(self.produce_with_defaults(lot_mo, self.mrp_user),
                         lot_mo.serial_preassigned_lot_ids)

    def test_products_without_the_flag_get_nothing(self):
        self.meter.serial_preassign_mo = False
        mo = self.flow._start_production(self.meter, 2, self.meter_bom)
        self.assertFalse(mo.serial_preassigned_lot_ids)
        with self.assertRaisesRegex(UserError, "not set to pre-assign"):
            mo.action_serial_preassign()


class TestUniqueness(SerialGenerationCase):

    def test_duplicate_is_refused_naming_the_serial_and_where_it_is(self):
        self.flow._receive(self.supplier, [(self.sensor, 1, "DUP-1")])
        with self.assertRaises(UserError) as ctx:
            self.Lot.sudo(self.stock_user).create({"name": "DUP-1",
                                                   "product_id": self.sensor.id})
        message = ctx.exception.name
        self.assertIn('"DUP-1"', message)
        self.assertIn("T Sensor", message)
        self.assertIn("in stock at %s" % self.warehouse.lot_stock_id.display_name, message)
        other = self.Lot.create({"name": "DUP-2", "product_id": self.sensor.id})
        with self.assertRaisesRegex(UserError, '"DUP-1"'):
            other.write({"name": "DUP-1"})
        # per product: another product may use the number
        self.Lot.create({"name": "DUP-1", "product_id": self.mcu.id})

    def test_same_serial_in_another_company_is_allowed(self):
        self.Lot.create({"name": "MC-1", "product_id": self.sensor.id})
        other = self.env["res.company"].create({"name": "T Other Co"})
        lot = self.Lot.create({"name": "MC-1", "product_id": self.sensor.id,
                               "company_id": other.id})
        self.assertEqual(lot.company_id, other)
        with self.assertRaisesRegex(UserError, "T Other Co"):
            self.Lot.create({"name": "MC-1", "product_id": self.sensor.id,
                             "company_id": other.id})

    def test_import_duplicate_is_refused(self):
        self.Lot.create({"name": "IMP-1", "product_id": self.sensor.id})
        result = self.Lot.load(["name", "product_id/.id"],
                               [["IMP-2", self.sensor.id], ["IMP-1", self.sensor.id]])
        self.assertFalse(result["ids"])
        self.assertIn('"IMP-1"', " ".join(m["message"] for m in result["messages"]))
        self.assertEqual(self.Lot.search_count([("name", "=", "IMP-2")]), 0)

    @mute_logger("odoo.sql_db")
    def test_database_index_holds_without_the_python_check(self):
        lot = self.Lot.create({"name": "IDX-1", "product_id": self.sensor.id})
        with self.assertRaises(psycopg2.IntegrityError):
            with self.cr.savepoint():
                self.cr.execute("""
                    INSERT INTO stock_production_lot (name, product_id, company_id)
                    VALUES (%s, %s, %s)""", ("IDX-1", self.sensor.id, lot.company_id.id))
        with self.assertRaises(psycopg2.IntegrityError):
            with self.cr.savepoint():
                self.cr.execute("""
                    INSERT INTO stock_production_lot (name, product_id) VALUES (%s, %s)
                    """, ("IDX-2", self.sensor.id))
                self.cr.execute("""
                    INSERT INTO stock_production_lot (name, product_id) VALUES (%s, %s)
                    """, ("IDX-2", self.sensor.id))

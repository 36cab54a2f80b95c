# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Release for distribution and the label print log (issue 17 items 3 and 4)."""
from odoo.exceptions import AccessError, UserError

from ..models.serial_guard import GUARD_KEY
from .quality_common import PASSWORDS, QualityCase
from .scan_common import ScanCase

QM2_PASSWORD = "quality-pw-2"


class TestRelease(QualityCase):

    @classmethod
    def setUpClass(cls):
        super(TestRelease, cls).setUpClass()
        cls.pump.product_tmpl_id.serial_requires_release = True
        cls.qm2 = cls._user("t_quality_mgr2", ["serial_traceability.group_quality_manager"])
        cls.qm2.password = QM2_PASSWORD
        cls.warehouse = cls.flow._warehouse()
        cls.stock_flow = cls.flow.sudo(cls.stock_user)

    # -- helpers -------------------------------------------------------------------------
    def release(self, target, user=None, password=None):
        """Press Release (on lots or an MO) as ``user`` and sign the dialog it opens."""
        user = user or self.qm
        action = target.sudo(user).action_serial_release()
        self.assertEqual(action["res_model"], "serial.sign.wizard")
        context = action["context"]
        self.assertEqual(context["default_meaning"], "release")
        wizard = self.env["serial.sign.wizard"].sudo(user).create({
            "res_model": context["default_res_model"], "res_id": context["default_res_id"],
            "meaning": context["default_meaning"],
            "password": password or PASSWORDS.get(user.login) or QM2_PASSWORD})
        wizard.action_sign()
        target.invalidate_cache()
        return self.env["serial.release"].browse(context["default_res_id"])

    def release_draft(self, lots):
        action = lots.sudo(self.qm).action_serial_release()
        return self.env["serial.release"].sudo(self.qm).browse(action["context"]["default_res_id"])

    def passed(self, lots):
        return self.approve(self.new_event(lots))

    def tested_pumps(self, count=2):
        pumps = self.make_pumps(count)
        self.passed(pumps)
        return pumps

    # -- the delivery gate ---------------------------------------------------------------
    def test_unreleased_unit_is_refused_at_delivery(self):
        u1, u2 = self.tested_pumps(2)
        self.assertEqual((u1.release_state, u2.release_state), ("pending", "pending"))
        self.assertFalse(u1._serial_release_record()["released"])
        # create: a delivery line with the unit and a done quantity
        with self.assertRefused(r"Cannot ship U1 \(T Pump\): it has not been released"):
            self.stock_flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        # write: reserving is allowed, setting the done quantity is not
        picking = self.env["stock.picking"].sudo(self.stock_user).create({
            "picking_type_id": self.warehouse.out_type_id.id,
            "partner_id": self.customer_a.id,
            "location_id": self.warehouse.lot_stock_id.id,
            "location_dest_id": self.customer_a.property_stock_customer.id,
            "move_lines": [(0, 0, {
                "name": "pump", "product_id": self.pump.id,
                "product_uom": self.pump.uom_id.id, "product_uom_qty": 1,
                "location_id": self.warehouse.lot_stock_id.id,
                "location_dest_id": self.customer_a.property_stock_customer.id})],
        })
        picking.action_confirm()
        picking.action_assign()
        line = picking.move_line_ids
        self.assertEqual(len(line), 1)
        with self.assertRefused(r"Cannot ship %s .*not been released" % line.lot_id.name):
            line.sudo(self.stock_user).write({"qty_done": 1})
        # _action_done: a line filled in before the product came to require release
        self.pump.product_tmpl_id.serial_requires_release = False
        line.sudo(self.stock_user).write({"qty_done": 1})
        self.pump.product_tmpl_id.serial_requires_release = True
        self.assertEqual(line.lot_id.release_state, "pending")
        with self.assertRefused(r"Cannot ship %s .*not been released" % line.lot_id.name):
            picking.sudo(self.stock_user).button_validate()
        self.assertEqual(picking.state, "assigned")
        # released, the same unit ships
        self.release(line.lot_id)
        picking.sudo(self.stock_user).button_validate()
        self.assertEqual(picking.state, "done")
        # units of products that do not require release are not concerned
        self.assertEqual(self.lot(self.pcb, "P1").release_state, "not_required")

    # -- what stops a release ------------------------------------------------------------
    def test_held_component_and_other_reasons_block_release(self):
        u1, u2 = self.tested_pumps(2)
        fail = self.approve(self.new_event(
            self.lot(self.pcb, "P1"), result="fail",
            measurements=[("Flow rate", 120.0, "%", "range", 95.0, 105.0)]))
        self.assertTrue(self.lot(self.pcb, "P1").quality_hold)
        with self.assertRefused(r"Cannot release for distribution:\n- U1: component P1 "
                                r"\(T PCB\) is on quality hold"):
            u1.sudo(self.qm).action_serial_release()
        self.assertEqual(u1.release_state, "pending")
        self.assertTrue(fail)
        # an untested unit of an MO not yet done, with an open non-conformance
        self.receive_components(cap_lots=("C9",), mcus=0, bat_lots=("B9",))
        self.flow._receive(self.supplier, [(self.pcb, 1, "PX")])
        mo = self.flow._start_production(self.pump, 2, self.pump_bom)
        self.flow._produce(mo, 1, "U9", [(self.pcb, 1, "PX"), (self.bat, 1, "B9")])
        u9 = self.lot(self.pump, "U9")
        self.new_event([u9], kind="non_conformance", result=False, measurements=[],
                       description="Dent")
        with self.assertRefused(r"- U9: manufacturing order %s is not done\n"
                                r"- U9: open non-conformance .*\n"
                                r"- U9: no approved passing test" % mo.name) as caught:
            u9.sudo(self.qm).action_serial_release()
        self.assertNotIn("U1", caught.exception.name)
        with self.assertRefused("one manufacturing order"):
            (u2 | u9).sudo(self.qm).action_serial_release()
        self.assertFalse(self.env["serial.release"].search(
            [("lot_ids", "in", (u1 | u2 | u9).ids)]))

    def test_bought_unit_is_released_on_its_own_tests(self):
        u1, = self.tested_pumps(1)
        self.flow._receive(self.supplier, [(self.pump, 1, "R1")])
        r1 = self.lot(self.pump, "R1")
        self.assertEqual(r1.release_state, "pending")
        self.passed(r1)
        with self.assertRefused(r"one manufacturing order.*no manufacturing order"):
            (u1 | r1).sudo(self.qm).action_serial_release()
        release = self.release(r1)
        self.assertFalse(release.production_id)
        self.assertEqual((r1.release_state, u1.release_state), ("released", "pending"))
        self.assertEqual(release.company_id, r1.company_id)

    def test_four_eyes_refuses_the_mo_responsible(self):
        u1, u2 = self.tested_pumps(2)
        mo = u1.production_id
        mo.user_id = self.qm
        self.env.user.company_id.serial_release_four_eyes = True
        with self.assertRefused(r"t_quality_mgr is responsible for %s and may not release "
                                r"its units. Who may sign instead: .*t_quality_mgr2" % mo.name):
            mo.sudo(self.qm).action_serial_release()
        release = self.release(mo, user=self.qm2)
        self.assertEqual(release.released_by_id, self.qm2)
        self.assertEqual((u1 | u2).mapped("release_state"), ["released", "released"])
        record = u1._serial_release_record()
        self.assertEqual(record["user_name"], "t_quality_mgr2")
        self.assertEqual(record["meaning"], "release")

    def test_inventory_and_traceability_users_cannot_release(self):
        u1, _u2 = self.tested_pumps(2)
        for user in (self.stock_user, self.trace_user):
            with self.assertRefused("Only a Quality Manager", AccessError):
                u1.sudo(user).action_serial_release()
            with self.assertRefused("Only a Quality Manager", AccessError):
                u1.production_id.sudo(user).action_serial_release()
        # the release columns are written by the signature only, whatever the context
        for user in (self.stock_user, self.env.ref("base.user_root")):
            lot = u1.sudo(user).with_context(**{GUARD_KEY: True})
            with self.assertRefused("only by a Quality Manager's electronic signature"):
                lot.write({"release_date": "2026-01-01 00:00:00",
                           "released_by_id": user.id})
            with self.assertRefused("cannot be edited"):
                lot.write({"release_state": "released"})
        # a release record cannot be signed with another meaning, nor rewritten
        with self.assertRaises(AccessError):
            self.env["serial.release"].sudo(self.qm).create({"lot_ids": [(6, 0, u1.ids)]})
        release = self.release_draft(u1)
        self.assertEqual(self.release_draft(u1), release, "a cancelled dialog's draft is reused")
        wizard = self.env["serial.sign.wizard"].sudo(self.qm).create({
            "res_model": release._name, "res_id": release.id, "meaning": "approval",
            "password": PASSWORDS["t_quality_mgr"]})
        with self.assertRefused("meaning 'Release for distribution'"):
            wizard.action_sign()
        with self.assertRaises((AccessError, UserError)):
            release.sudo(self.qm).write({"state": "done"})
        # and 'release' is no meaning for anything else (it would approve an event)
        event = self.new_event(u1)
        with self.assertRefused("given to releases of units only, not to Quality event"):
            self.sign(event, meaning="release")
        self.assertEqual(event.state, "draft")
        self.assertEqual(u1.release_state, "pending")

    def test_one_signature_releases_50_units_of_an_mo(self):
        sensor = self._product("T Sensor", "serial")
        sensor.product_tmpl_id.serial_requires_release = True
        bom = self._bom(sensor, [(self.hsg, 1)])
        self.flow._receive(self.supplier, [(self.hsg, 50, None)])
        mo = self.flow._start_production(sensor, 50, bom)
        for i in range(1, 51):
            self.flow._produce(mo, 1, "S%02d" % i, [])
        self.flow._finish(mo)
        units = mo._serial_finished_lots()
        self.assertEqual(len(units), 50)
        self.passed(units)
        signatures = self.env["serial.signature"].search_count([])
        release = self.release(mo)
        self.assertEqual(self.env["serial.signature"].search_count([]), signatures + 1)
        signature = release.signature_id
        self.assertEqual((signature.meaning, signature.signer_id), ("release", self.qm))
        self.assertTrue(signature.valid)
        self.assertEqual(set(units.mapped("release_state")), {"released"})
        self.assertEqual(units.mapped("release_signature_id"), signature)
        self.assertEqual(release.lot_ids, units)
        record = units[0]._serial_release_record()
        self.assertEqual(record, {"released": True, "date": signature.signed_at,
                                  "user_name": "t_quality_mgr", "meaning": "release",
                                  "signature_id": signature.id})
        entries = self.env["serial.audit.entry"].search(
            [("res_model", "=", "stock.production.lot"), ("res_id", "in", units.ids),
             ("action", "=", "release")])
        self.assertEqual(len(entries), 50)
        self.assertEqual(entries.mapped("user_id"), self.qm)
        history = self.env["serial.unit.history"].sudo(self.trace_user).search(
            [("lot_id", "=", units[0].id), ("event_type", "=", "release")])
        self.assertEqual((len(history), history.user_id, history.reference),
                         (1, self.qm, mo.name))
        with self.assertRefused("has no unit awaiting release"):
            mo.sudo(self.qm).action_serial_release()
        picking = self.stock_flow._deliver(self.customer_a, [(sensor, 1, units[0])])
        self.assertEqual(picking.state, "done")


class TestLabelLog(QualityCase):

    def print_html(self, xmlid, records, user):
        report = self.env.ref("serial_traceability." + xmlid).sudo(user)
        return report.render_qweb_html(records.ids)

    def test_label_prints_are_logged_and_reprints_marked(self):
        receipt = self.flow._receive(self.supplier, [(self.mcu, 1, "LM1"), (self.mcu, 1, "LM2")])
        lm1, lm2 = self.lot(self.mcu, "LM1"), self.lot(self.mcu, "LM2")
        Log = self.env["serial.label.log"]
        self.print_html("serial_label_a4_picking_report", receipt, self.stock_user)
        rows = Log.search([("lot_id", "in", (lm1 | lm2).ids)])
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows.mapped("user_id"), self.stock_user)
        self.assertEqual(set(rows.mapped("report_name")),
                         {"serial_traceability.serial_label_a4_picking"})
        self.assertEqual(set(rows.mapped("copy_number")), {1})
        self.assertFalse(any(rows.mapped("reprint")))
        expected = self.env["serial.label"]._label_data(lm1, "thermal")[0]["data"]
        self.assertTrue(expected)
        self.assertEqual(rows.filtered(lambda r: r.lot_id == lm1).element_string, expected)
        self.print_html("serial_label_thermal_report", lm1, self.trace_user)
        again = Log.search([("lot_id", "=", lm1.id)], order="id desc", limit=1)
        self.assertEqual((again.copy_number, again.reprint, again.user_id.id,
                          again.report_name),
                         (2, True, self.trace_user.id, "serial_traceability.serial_label_thermal"))
        history = self.env["serial.unit.history"].sudo(self.trace_user).search(
            [("lot_id", "=", lm1.id), ("event_type", "=", "label")], order="id")
        self.assertEqual(len(history), 2)
        self.assertIn("reprint", " ".join(history.mapped("description")))
        # traceability users read the log from the unit; nobody but an admin edits it
        action = lm1.sudo(self.trace_user).action_view_label_log()
        self.assertEqual(Log.sudo(self.trace_user).search(action["domain"]),
                         Log.search([("lot_id", "=", lm1.id)]))
        for user in (self.stock_user, self.trace_user, self.qm):
            with self.assertRaises(AccessError):
                again.sudo(user).write({"reprint": False})
            with self.assertRaises(AccessError):
                again.sudo(user).unlink()
            with self.assertRaises(AccessError):
                Log.sudo(user).create({"lot_id": lm1.id, "report_name": "x",
                                       "user_id": user.id, "printed_on": "2026-01-01"})
        with self.assertRaises(AccessError):
            Log.sudo(self.stock_user).search([]).read(["element_string"])


class TestReleaseScan(ScanCase):

    def test_pending_unit_is_refused_by_the_delivery_scan(self):
        self.flow._receive(self.supplier, [(self.pump, 1, "SR-1")])
        self.pump.product_tmpl_id.serial_requires_release = True
        picking = self.delivery([(self.pump, 1)])
        self.assertEqual(picking.move_line_ids.lot_id.name, "SR-1", "reserved while pending")
        screen = self.open_scan(picking)
        self.assertRefused(screen, self.label(self.pump, serial="SR-1"), "SR-1",
                           "not been released for distribution")
        # an internal move of the same unit is not concerned
        internal = self.picking(self.warehouse.int_type_id, [(self.pump, 1)])
        self.assertAccepted(self.open_scan(internal), self.label(self.pump, serial="SR-1"))

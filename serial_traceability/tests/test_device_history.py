# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The device history record (21 CFR 820.184) and the batch record, printed for real
(wkhtmltopdf) and read back with pdftotext; units built through the produce wizard."""
import os
import re
import shutil
import subprocess
import tempfile
from unittest import mock

from odoo.exceptions import AccessError

from ..lib import gs1
from . import pdf_common
from .quality_common import QualityCase

PUMP_GTIN = "0" + "950612345019"
PUMP_GTIN += gs1.gtin_check_digit(PUMP_GTIN)


class TestDeviceHistory(QualityCase):

    @classmethod
    def setUpClass(cls):
        super(TestDeviceHistory, cls).setUpClass()
        cls.workdir = tempfile.mkdtemp(prefix="st_dhr_")
        # the report carries its own styles: no HTTP fetch of the assets
        cls.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:1")
        cls.pump.barcode = PUMP_GTIN

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.workdir, ignore_errors=True)
        super(TestDeviceHistory, cls).tearDownClass()

    # -- helpers -----------------------------------------------------------------
    def pdf(self, xmlid, records, user=None):
        report = self.env.ref("serial_traceability." + xmlid).sudo(user or self.trace_user)
        with pdf_common.real_pdf(self.workdir):
            content, kind = report.render_qweb_pdf(records.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        return content

    def text(self, records, xmlid="serial_device_history_report", user=None):
        path = os.path.join(self.workdir, "dhr.pdf")
        with open(path, "wb") as out:
            out.write(self.pdf(xmlid, records, user))
        text = subprocess.check_output(["pdftotext", "-layout", path, "-"]).decode()
        return re.sub(r"[ \t]+", " ", text)

    def section(self, text, start, end):
        """The text between two headings (to the end when ``end`` is not there: a
        released unit prints its frozen record, which has no after-release part)."""
        first = text.index(start)
        last = text.find(end, first)
        return text[first:last if last >= 0 else len(text)]

    def pumps_with_events(self):
        """U1..U3 from one MO; an approved final test on U2, a certificate on the
        capacitor lot C1, a test on the sibling U1."""
        pumps = self.make_pumps(3)
        self.approve(self.new_event([pumps[1]], description="Final test U2"))
        self.approve(self.new_event([self.lot(self.cap, "C1")], kind="certificate",
                                    measurements=(), description="CoC capacitor lot"))
        sibling_test = (("Sibling only", 1.0, "V", "max", 0.0, 2.0),)
        self.approve(self.new_event([pumps[0]], measurements=sibling_test))
        return pumps

    # -- the clauses -------------------------------------------------------------
    def test_a_dates_of_manufacture(self):
        unit = self.make_pumps(2)[1]
        mo = unit.production_id
        text = self.section(self.text(unit), "(a) Dates of manufacture", "(b) Quantity")
        self.assertIn(mo.name, text)
        self.assertIn(mo.date_finished[:10], text)
        self.assertIn("Production date of the unit", text)
        self.assertEqual(unit.sudo(self.trace_user).get_device_history_record()
                         ["production"]["date_finished"], mo.date_finished)

    def test_b_quantity_manufactured_and_position(self):
        unit = self.make_pumps(3)[1]
        text = self.section(self.text(unit), "(b) Quantity", "(c) Quantity released")
        self.assertIn("produced 3 Unit(s)", text)
        self.assertIn("number 2 of 3", text)

    def test_c_release_absent_then_given_by_the_release_gate(self):
        unit = self.make_pumps(1)[0]
        text = self.section(self.text(unit), "(c) Quantity released", "(d) Acceptance")
        self.assertIn("Not released for distribution", text)
        release = {"released": True, "date": "2026-11-30 09:15:00",
                   "user_name": "Rita Release", "meaning": "release", "signature_id": 42}
        lot_class = type(self.env["stock.production.lot"])
        with mock.patch.object(lot_class, "_serial_release_record",
                               lambda self: release):
            text = self.section(self.text(unit), "(c) Quantity released", "(d) Acceptance")
        self.assertNotIn("Not released", text)
        self.assertIn("2026-11-30 09:15:00 by Rita Release", text)
        self.assertIn("signature #42", text)

    def test_d_acceptance_records_of_unit_and_components(self):
        unit = self.pumps_with_events()[1]
        text = self.section(self.text(unit), "(d) Acceptance", "(e) Primary")
        self.assertIn("Final test U2", text)
        self.assertIn("CoC capacitor lot", text)
        self.assertIn("Flow rate", text)
        self.assertRegex(text, r"Leakage 0\.05 mA max 0\.1 PASS")
        self.assertIn("t_quality_mgr, meaning approval", text)
        self.assertNotIn("Sibling only", text)  # U1's test is not U2's record

    def test_d_open_non_conformance_is_listed(self):
        unit = self.make_pumps(1)[0]
        self.new_event([unit], kind="non_conformance", result="fail", measurements=(),
                       description="Scratched housing: rework")
        text = self.section(self.text(unit), "(d) Acceptance", "(e) Primary")
        self.assertIn("Scratched housing: rework", text)
        self.assertIn("(open, not approved)", text)

    def test_e_labeling(self):
        unit = self.make_pumps(1)[0]
        text = self.section(self.text(unit), "(e) Primary", "(f) Unique")
        if "serial.label.log" in self.env:
            self.assertIn("No label was printed", text)
        else:
            self.assertIn("No label log is recorded", text)
            self.assertEqual(unit.sudo(self.trace_user).get_device_history_record()
                             ["labels"], {"available": False, "rows": []})

    def test_e_label_log_rows_as_the_label_log_gives_them(self):
        """The rows of ``serial.label.log`` (the release gate's branch) as printed."""
        unit = self.make_pumps(1)[0]
        element = gs1.build_element_string([("01", PUMP_GTIN), ("21", "U1")])
        rows = [{"report_name": "Unit labels (thermal 100x50)", "element_string": element,
                 "element_display": element, "user": "t_stock_user",
                 "printed_on": "2026-11-29 08:00:00", "copy_number": n, "reprint": n > 1}
                for n in (1, 2)]
        lot_class = type(self.env["stock.production.lot"])
        with mock.patch.object(lot_class, "_dhr_labels",
                               lambda self: {"available": True, "rows": rows}):
            text = self.section(self.text(unit), "(e) Primary", "(f) Unique")
        self.assertIn("01%s21U1" % PUMP_GTIN, text)
        self.assertEqual(text.count("t_stock_user"), 2)
        self.assertEqual(text.count("(reprint)"), 1)

    def test_f_udi_human_readable_and_barcode(self):
        unit = self.make_pumps(1)[0]
        unit.production_date = "2026-03-04"
        content = self.pdf("serial_device_history_report", unit)
        path = os.path.join(self.workdir, "udi.pdf")
        with open(path, "wb") as out:
            out.write(content)
        text = subprocess.check_output(["pdftotext", "-layout", path, "-"]).decode()
        hri = "(01)%s(11)260304(21)U1" % PUMP_GTIN
        self.assertIn(hri, text)
        self.assertIn("Device identifier (01) GTIN", text)
        scanned = [found[2] for found in pdf_common.scan_barcodes(content, self.workdir)]
        self.assertIn(gs1.build_element_string(
            [("01", PUMP_GTIN), ("11", "260304"), ("21", "U1")]), scanned)

    def test_f_no_gtin_says_no_device_identifier(self):
        unit = self.make_pumps(1)[0]
        self.pump.barcode = False
        text = self.section(self.text(unit), "(f) Unique", "As-built")
        self.assertIn("No device identifier", text)

    # -- as-built ----------------------------------------------------------------
    def test_multi_serial_trap_as_built_lists_only_its_own_parts(self):
        self.receive_components()
        self.build_pcbs([("P1", [("C1", 2)], "M1"), ("P2", [("C2", 2)], "M2")])
        self.build_pumps([("U1", "P1", "B1"), ("U2", "P2", "B1")])
        unit = self.lot(self.pump, "U2")
        self.lot(self.cap, "C2").vendor_lot = "NC-42"
        record = unit.sudo(self.trace_user).get_device_history_record()
        self.assertEqual(sorted(r["lot_name"] for r in record["as_built"]),
                         ["B1", "C2", "M2", "P2"])
        by_name = {r["lot_name"]: r for r in record["as_built"]}
        self.assertEqual((by_name["P2"]["level"], by_name["C2"]["level"]), (1, 2))
        self.assertEqual(by_name["C2"]["qty"], 2.0)
        self.assertEqual(by_name["C2"]["supplier"], "T Supplier")
        text = self.section(self.text(unit), "As-built record", "After release")
        for own in ("P2", "C2", "M2", "B1", "NC-42", "T Supplier", "T Housing"):
            self.assertIn(own, text)
        for sibling in ("P1", "C1", "M1"):
            self.assertNotRegex(text, r"\b%s\b" % sibling)

    def test_purchased_unit_gives_its_receiving_record(self):
        self.receive_components(mcus=3)
        unit = self.lot(self.mcu, "M3")
        record = unit.sudo(self.trace_user).get_device_history_record()
        self.assertEqual(record["kind"], "receiving")
        text = self.text(unit)
        self.assertIn("Receiving record M3", text)
        self.assertIn("Purchased unit: no manufacturing order built it", text)
        self.assertIn("T Supplier", self.section(text, "(a) Dates", "(b) Quantity"))

    # -- the MO: every unit, one PDF ---------------------------------------------
    def test_done_mo_prints_every_unit_in_one_pdf_with_page_numbers(self):
        pumps = self.make_pumps(3)
        mo = pumps[0].production_id
        action = mo.sudo(self.trace_user).action_print_device_history()
        self.assertEqual(action["report_name"], "serial_traceability.serial_dhr_production")
        text = self.text(mo, "serial_device_history_production_report")
        for name in ("U1", "U2", "U3"):
            self.assertIn("Device history record %s" % name, text)
        # each unit's record starts a page and counts its own pages
        self.assertEqual(re.findall(r"(U\d) - Page (\d+) of (\d+)", text),
                         [("U1", "1", "1"), ("U2", "1", "1"), ("U3", "1", "1")])
        self.assertNotIn("serial-traceability.invalid", text)

    def test_long_record_counts_its_pages(self):
        unit = self.make_pumps(1)[0]
        readings = tuple(("Channel %d" % i, 1.0, "V", "max", 0.0, 2.0) for i in range(12))
        for number in range(6):
            self.approve(self.new_event([unit], measurements=readings,
                                        description="Burn-in %d" % number))
        text = self.text(unit)
        pages = re.findall(r"U1 - Page (\d+) of (\d+)", text)
        total = len(pages)
        self.assertGreater(total, 1)
        self.assertEqual(pages, [(str(n), str(total)) for n in range(1, total + 1)])

    def test_mo_not_done_is_refused(self):
        self.receive_components()
        mo = self.flow._start_production(self.pcb, 1, self.pcb_bom)
        with self.assertRefused("is not done"):
            mo.sudo(self.trace_user).action_print_device_history()

    # -- rights and side effects -------------------------------------------------
    def test_stock_user_refused_and_printing_writes_nothing(self):
        unit = self.make_pumps(1)[0]
        with self.assertRaises(AccessError):
            unit.sudo(self.stock_user).get_device_history_record()
        self.env.cr.execute("SELECT count(*) FROM serial_audit_entry")
        audit_before = self.env.cr.fetchone()[0]
        self.env.cr.execute("SELECT write_date FROM stock_production_lot WHERE id = %s",
                            (unit.id,))
        written_before = self.env.cr.fetchone()[0]
        self.text(unit)
        self.env.cr.execute("SELECT count(*) FROM serial_audit_entry")
        self.assertEqual(self.env.cr.fetchone()[0], audit_before)
        self.env.cr.execute("SELECT write_date FROM stock_production_lot WHERE id = %s",
                            (unit.id,))
        self.assertEqual(self.env.cr.fetchone()[0], written_before)

    # -- after release -----------------------------------------------------------
    def test_after_release_lists_shipment_return_service_and_recall(self):
        unit = self.make_pumps(1)[0]
        picking = self.flow._deliver(self.customer_a, [(self.pump, 1, unit)])
        self.flow._return(picking, [(self.pump, 1, unit)])
        service = self.approve(self.new_event([unit], kind="service", result=False,
                                              measurements=(), description="Pump serviced"))
        wizard = self.env["serial.recall.wizard"].sudo(self.qm).create({
            "reason": "Battery lot B1 swelling",
            "lot_ids": [(6, 0, self.lot(self.bat, "B1").ids)]})
        wizard.action_preview()
        recall = self.env["serial.recall"].sudo(self.qm).browse(
            wizard.action_create_recall()["res_id"])
        recall.action_open()
        text = self.text(unit)
        after = text[text.index("After release (not part of the released record)"):]
        self.assertIn(recall.name, after)
        self.assertIn("Battery lot B1 swelling", after)
        self.assertIn(service.name, after)
        self.assertNotIn(service.name, text[:text.index("After release")])
        self.assertIn(picking.name, after)
        self.assertIn("T Hospital", after)
        self.assertIn("Returned", after)

    # -- batch record ------------------------------------------------------------
    def test_batch_record_of_a_lot_tracked_product(self):
        gel = self._product("T Gel", "lot")
        bom = self._bom(gel, [(self.cap, 2)])
        self.receive_components()
        mo = self.flow._start_production(gel, 9, bom)
        self.flow._produce(mo, 9, "G1", [(self.cap, 20, "C1")])
        self.flow._finish(mo)
        lot = self.lot(gel, "G1")
        self.flow._deliver(self.customer_b, [(gel, 4, lot)])
        stock = self.flow._warehouse().lot_stock_id
        scrap = self.env["stock.scrap"].create({
            "product_id": gel.id, "lot_id": lot.id, "scrap_qty": 1,
            "product_uom_id": gel.uom_id.id, "location_id": stock.id})
        scrap.action_validate()
        record = lot.sudo(self.trace_user).get_device_history_record()
        self.assertEqual(record["kind"], "batch")
        batch = record["batch"]
        self.assertEqual((batch["planned"], batch["expected"], batch["actual"]),
                         (9.0, 10.0, 9.0))
        self.assertEqual(batch["yield_pct"], 90.0)
        self.assertEqual({k: batch["where"][k] for k in
                          ("shipped", "in_stock", "consumed", "scrapped")},
                         {"shipped": 4.0, "in_stock": 4.0, "consumed": 0.0, "scrapped": 1.0})
        text = self.text(lot)
        self.assertIn("Batch record G1", text)
        self.assertIn("C1", self.section(text, "As-built record", "Batch yield"))
        yields = self.section(text, "Batch yield", "After release")
        self.assertRegex(yields, r"Expected from the BoM 10 Unit")
        self.assertRegex(yields, r"Actual 9 Unit")
        self.assertRegex(yields, r"Yield 90 %")
        self.assertRegex(yields, r"Shipped In stock Consumed Scrapped\s+4 4 0 1")

    def test_demo_pump_0007_as_built_has_only_its_own_pcb_capacitor_lot_and_mcu(self):
        """The demo's multi-serial MOs: twelve PCBs in one MO, six pumps in another."""
        pump = self.env.ref("serial_traceability.demo_product_pump", raise_if_not_found=False)
        unit = pump and self.lot(pump, "PUMP-0007")
        if not unit:
            self.skipTest("the demo data is not installed")
        record = unit.sudo(self.qm).get_device_history_record()
        self.assertEqual(sorted(r["lot_name"] for r in record["as_built"]),
                         ["BAT-2026B", "CAP-L7", "MCU-0007", "PCB-0007"])
        text = self.section(self.text(unit, user=self.qm), "As-built record", "After release")
        self.assertIn("MCU-", text)
        self.assertNotRegex(text, r"PCB-00(0[0-689]|1\d)|MCU-\s*00(0[0-689]|1\d)")

    def test_work_orders_of_a_routed_mo(self):
        workcenter = self.env["mrp.workcenter"].create({"name": "T Final assembly"})
        routing = self.env["mrp.routing"].create({
            "name": "T Sensor routing",
            "operation_ids": [(0, 0, {"name": "T Solder and test",
                                      "workcenter_id": workcenter.id, "time_cycle": 5})]})
        sensor = self._product("T Sensor", "serial")
        bom = self._bom(sensor, [(self.cap, 1)])
        bom.routing_id = routing
        operator = self._user("t_operator", ["mrp.group_mrp_user"])
        self.receive_components()
        mo = self.flow._start_production(sensor, 1, bom)
        mo.button_plan()
        workorder = mo.workorder_ids
        self.assertEqual(len(workorder), 1)
        # the host's work order flow: start, record the unit and its component, finish
        workorder = workorder.sudo(operator)
        workorder.button_start()
        workorder.final_lot_id = self.flow._lot(sensor, "S1")
        workorder.active_move_line_ids.write(
            {"lot_id": self.lot(self.cap, "C1").id, "qty_done": 1})
        workorder.record_production()
        workorder.button_finish()
        self.flow._finish(mo)
        text = self.section(self.text(self.lot(sensor, "S1")), "As-built record",
                            "After release")
        self.assertRegex(text, r"T Solder and test\s+T Final assembly\s+t_operator")

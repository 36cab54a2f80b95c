# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Scanning in the host's produce wizard, as a manufacturing user."""
from ..lib import serial_pattern
from .scan_common import ScanCase, gtin


class TestScanProduction(ScanCase):

    @classmethod
    def setUpClass(cls):
        super(TestScanProduction, cls).setUpClass()
        cls.mrp_user = cls._user("t_mrp_user", ["mrp.group_mrp_user"])

    def produce_screen(self, production, user=None):
        """The host's produce wizard as its button opens it (default lines)."""
        return self.env["mrp.product.produce"].sudo(user or self.mrp_user).with_context(
            active_id=production.id, active_ids=production.ids,
            active_model="mrp.production").create({})

    def lines_of(self, screen, product):
        return screen.produce_line_ids.filtered(lambda l: l.product_id == product)

    def make_pcbs(self):
        self.receive_components(cap_lots=("C1",), mcus=4, bat_lots=("B1",))
        self.build_pcbs([("P1", [("C1", 2)], "M1"), ("P2", [("C1", 2)], "M2"),
                         ("P3", [("C1", 2)], "M3")])

    def test_build_a_pump_by_scanning(self):
        self.make_pcbs()
        mo = self.flow._start_production(self.pump, 1, self.pump_bom)
        screen = self.produce_screen(mo)
        self.assertEqual(screen.scan_status, "waiting")
        self.assertAccepted(screen, "P2", "T PCB P2")
        self.assertEqual(self.lines_of(screen, self.pcb).filtered("qty_done").lot_id.name, "P2")
        self.assertAccepted(screen, self.label(self.bat, lot="B1"), "T Battery B1")
        bat_line = self.lines_of(screen, self.bat)
        self.assertEqual((bat_line.lot_id.name, bat_line.qty_done), ("B1", 1))
        self.assertAccepted(screen, self.label(self.pump, serial="PUMP-T1", **{"11": "260401"}),
                            "PUMP-T1 will be produced")
        self.assertEqual(screen.lot_id.name, "PUMP-T1")
        self.assertEqual(screen.lot_id.production_date, "2026-04-01")
        screen.do_produce()
        mo.sudo(self.mrp_user).button_mark_done()
        self.assertEqual(mo.state, "done")
        pump = self.lot(self.pump, "PUMP-T1")
        self.assertEqual(self.names(pump.get_genealogy("backward")), ["B1", "C1", "M2", "P2"])

    def test_scan_through_the_web_clients_onchange(self):
        """What the browser sends: an onchange of ``_barcode_scanned`` on the unsaved
        wizard, its lines as commands. The filled line comes back; a new finished
        serial is in the database."""
        self.make_pcbs()
        mo = self.flow._start_production(self.pump, 1, self.pump_bom)
        Produce = self.env["mrp.product.produce"].sudo(self.mrp_user).with_context(
            active_id=mo.id, active_ids=mo.ids, active_model="mrp.production")
        spec = Produce._onchange_spec()
        names = [name for name in spec if "." not in name]
        defaults = Produce.default_get(names)
        values = {name: defaults.get(name, False) for name in names}
        values["_barcode_scanned"] = "P2"
        result = Produce.onchange(values, "_barcode_scanned", spec)["value"]
        self.assertEqual(result["scan_status"], "ok", result.get("scan_message"))
        filled = [command[2] for command in result["produce_line_ids"]
                  if len(command) > 2 and command[2].get("qty_done")]
        self.assertEqual(len(filled), 1, result["produce_line_ids"])
        self.assertEqual((filled[0]["lot_id"][1], filled[0]["qty_done"]), ("P2", 1))
        values.update(_barcode_scanned=self.label(self.pump, serial="PUMP-OC1"))
        result = Produce.onchange(values, "_barcode_scanned", spec)["value"]
        self.assertEqual(result["scan_status"], "ok", result.get("scan_message"))
        lot = self.lot(self.pump, "PUMP-OC1")
        self.assertEqual(result["lot_id"][0], lot.id)

    def test_production_refusals(self):
        self.make_pcbs()
        self.flow._receive(self.supplier, [(self.pump, 1, "OLD-1")])
        used_mo = self.flow._start_production(self.pump, 1, self.pump_bom)
        self.flow._produce(used_mo, 1, "PUMP-A", [(self.pcb, 1, "P1"), (self.bat, 1, "B1")])
        self.flow._finish(used_mo)
        mo = self.flow._start_production(self.pump, 1, self.pump_bom)
        screen = self.produce_screen(mo)
        before = [(line.lot_id.id, line.qty_done) for line in screen.produce_line_ids]
        self.assertRefused(screen, "(01)%s(21)X" % gtin(999), "Unknown product")
        self.assertRefused(screen, "M4", "M4 is a serial/lot of T MCU, which %s does not use"
                           % mo.name)
        self.assertRefused(screen, self.mcu.barcode, "neither made nor consumed")
        self.assertRefused(screen, "ZZZ", "Unknown serial or lot ZZZ")
        # the wrong finished serial: one received, one already built
        self.assertRefused(screen, self.label(self.pump, serial="OLD-1"), "OLD-1",
                           "already used")
        self.assertRefused(screen, self.label(self.pump, serial="PUMP-A"), "already used")
        # a component already consumed into another unit
        self.assertRefused(screen, "P1", "P1 is not in stock")
        self.assertEqual(
            [(line.lot_id.id, line.qty_done) for line in screen.produce_line_ids], before)
        self.assertFalse(screen.lot_id.name in ("OLD-1", "PUMP-A"))
        # one PCB per pump: a second one is one too many, the same one twice too
        self.assertAccepted(screen, "P2")
        self.assertRefused(screen, "P2", "P2 is already scanned")
        self.assertRefused(screen, "P3", "All 1 of T PCB")
        # a product barcode, then a new number for it
        self.assertAccepted(screen, self.pump.barcode, "now scan")
        self.assertAccepted(screen, "PUMP-NEW", "PUMP-NEW will be produced")
        self.assertEqual(screen.lot_id, self.lot(self.pump, "PUMP-NEW"))

    def test_pattern_check_character_and_preassigned_serials(self):
        """With the serial generation feature: a new finished serial must pass its
        pattern's check character; a serial pre-assigned to another MO is refused."""
        template = self.pump.product_tmpl_id
        template.serial_pattern = "TP-{seq:4}{check}"
        self.make_pcbs()
        mo = self.flow._start_production(self.pump, 1, self.pump_bom)
        other = self.flow._start_production(self.pump, 1, self.pump_bom)
        good = "TP-0042" + serial_pattern.compute_check("TP-0042")
        bad = "TP-0042" + ("0" if good[-1] != "0" else "1")
        taken = self.Lot.create({"name": "TP-0043" + serial_pattern.compute_check("TP-0043"),
                                 "product_id": self.pump.id,
                                 "preassigned_production_id": other.id})
        screen = self.produce_screen(mo)
        self.assertRefused(screen, self.label(self.pump, serial=bad), "check character")
        self.assertFalse(self.lot(self.pump, bad))
        self.assertRefused(screen, self.label(self.pump, serial=taken.name),
                           "pre-assigned to %s" % other.name)
        self.assertAccepted(screen, self.label(self.pump, serial=good), "will be produced")

    def test_held_component_is_refused(self):
        self.make_pcbs()
        self.lot(self.pcb, "P3")._put_on_hold("Solder voids on X-ray")
        mo = self.flow._start_production(self.pump, 1, self.pump_bom)
        self.assertRefused(self.produce_screen(mo), "P3", "P3", "quality hold",
                           "Solder voids")

    def test_receive_build_and_ship_without_typing(self):
        """A stock user receives 20 serial units from supplier labels, a manufacturing
        user builds a PCB and a pump by scanning, the stock user ships the pump by
        scanning its label."""
        receipt = self.receipt([(self.mcu, 20), (self.cap, 100), (self.bat, 5),
                                (self.hsg, 1)])
        screen = self.open_scan(receipt)
        for number in range(1, 21):
            self.assertAccepted(screen, self.label(self.mcu, serial="MCU-%02d" % number,
                                                   **{"17": "291200"}))
        self.assertAccepted(screen, self.label(self.cap, lot="CAPLOT", **{"30": "100"}))
        self.assertAccepted(screen, self.label(self.bat, lot="BATLOT", **{"30": "5"}))
        self.assertAccepted(screen, self.hsg.barcode)
        self.assertEqual((screen.done_qty, screen.demand_qty), (126, 126))
        screen.action_validate()
        self.assertEqual(receipt.state, "done")
        self.assertEqual(self.lot(self.mcu, "MCU-07").expiry_date, "2029-12-31")

        pcb_mo = self.flow._start_production(self.pcb, 1, self.pcb_bom)
        build = self.produce_screen(pcb_mo)
        self.assertAccepted(build, self.label(self.mcu, serial="MCU-13"))
        self.assertAccepted(build, self.label(self.cap, lot="CAPLOT"))
        self.assertAccepted(build, self.label(self.pcb, serial="PCB-S1"))
        build.do_produce()
        pcb_mo.sudo(self.mrp_user).button_mark_done()

        pump_mo = self.flow._start_production(self.pump, 1, self.pump_bom)
        build = self.produce_screen(pump_mo)
        for code in (self.label(self.pcb, serial="PCB-S1"), self.label(self.bat, lot="BATLOT"),
                     self.label(self.pump, serial="PUMP-S1")):
            self.assertAccepted(build, code)
        build.do_produce()
        pump_mo.sudo(self.mrp_user).button_mark_done()

        delivery = self.delivery([(self.pump, 1)])
        ship = self.open_scan(delivery)
        self.assertAccepted(ship, self.label(self.pump, serial="PUMP-S1"), "1 of 1")
        ship.action_validate()
        self.assertEqual(delivery.state, "done")
        pump = self.lot(self.pump, "PUMP-S1")
        self.assertEqual(self.names(pump.get_genealogy("backward")),
                         ["BATLOT", "CAPLOT", "MCU-13", "PCB-S1"])
        self.assertEqual(pump.product_qty, 0)

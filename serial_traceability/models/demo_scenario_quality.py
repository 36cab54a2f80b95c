# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Quality part of the demo: final tests with reports, a supplier certificate, a
failed unit on hold, and a warranty claim on the returned pump; all approved with an
electronic signature given through the signing dialog's own code."""
import base64

from odoo import api, models

WARRANTY_MONTHS = 24
DEMO_PASSWORD = "admin"  # the demo database's admin, who signs the approvals
FINAL_TEST = [  # parameter, value, unit, limit kind, min, max
    ("Flow rate accuracy", 99.2, "%", "range", 95.0, 105.0),
    ("Occlusion alarm pressure", 68.0, "kPa", "range", 55.0, 80.0),
    ("Earth leakage current", 0.04, "mA", "max", 0.0, 0.1),
]


class SerialTraceabilityDemo(models.AbstractModel):
    _inherit = "serial.traceability.demo"

    @api.model
    def _load_demo_scenario(self):
        res = super(SerialTraceabilityDemo, self)._load_demo_scenario()
        flow = self.env["serial.flow"]
        pump, bat = self._ref("demo_product_pump"), self._ref("demo_product_battery")
        pump.product_tmpl_id.warranty_months = WARRANTY_MONTHS

        for number in (1, 2, 3, 4):
            lot = flow._lot(pump, "PUMP-%04d" % number)
            self._demo_event(lot, "test", "pass", FINAL_TEST, "Final functional test",
                             report=("final-test-%s.txt" % lot.name,
                                     "Final functional test report\nUnit %s\nAll "
                                     "parameters within limits.\n" % lot.name))
        self._demo_event(flow._lot(bat, "BAT-2026A"), "certificate", "pass", [],
                         "Supplier certificate of conformance, VoltCell lot BAT-2026A",
                         report=("CoC-VoltCell-BAT-2026A.txt",
                                 "Certificate of Conformance\nVoltCell Energy GmbH\n"
                                 "Lot BAT-2026A conforms to specification VC-74-2.\n"))
        failing = [row if row[0] != "Occlusion alarm pressure" else
                   (row[0], 91.5) + row[2:] for row in FINAL_TEST]
        self._demo_event(flow._lot(pump, "PUMP-0012"), "test", "fail", failing,
                         "Final functional test: occlusion alarm late")
        self._demo_event(flow._lot(pump, "PUMP-0002"), "warranty_claim", False, [],
                         "St. Mary's reports the display flickering; unit returned.")
        return res

    @api.model
    def _demo_event(self, lot, kind, result, measurements, description, report=None):
        event = self.env["serial.quality.event"].create({
            "kind": kind,
            "result": result,
            "lot_ids": [(6, 0, lot.ids)],
            "description": description,
            "measurement_ids": [
                (0, 0, {"parameter": name, "value": value, "uom": uom, "limit_kind": limit,
                        "min_value": low, "max_value": high})
                for name, value, uom, limit, low, high in measurements],
        })
        if report:
            name, text = report
            attachment = self.env["ir.attachment"].create({
                "name": name, "datas_fname": name, "mimetype": "text/plain",
                "datas": base64.b64encode(text.encode("utf-8")),
                "res_model": event._name, "res_id": event.id,
            })
            event.attachment_ids = [(6, 0, attachment.ids)]
        self.env["serial.sign.wizard"].create({
            "res_model": event._name, "res_id": event.id, "meaning": "approval",
            "password": DEMO_PASSWORD, "reason": "Demo data",
        }).action_sign()
        return event

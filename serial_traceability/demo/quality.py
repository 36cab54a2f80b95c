# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Quality part of the demo: final tests with reports, a supplier certificate, a
failed unit on hold, and a warranty claim on the returned pump; each approved with an
electronic signature of the installing user (the signing dialog's steps after its
password check: an install has no one to type a password)."""
import base64

from .factory import ref

WARRANTY_MONTHS = 24
FINAL_TEST = [  # parameter, value, unit, limit kind, min, max
    ("Flow rate accuracy", 99.2, "%", "range", 95.0, 105.0),
    ("Occlusion alarm pressure", 68.0, "kPa", "range", 55.0, 80.0),
    ("Earth leakage current", 0.04, "mA", "max", 0.0, 0.1),
]


def load(env, flow):
    """Quality events of the demo factory ``flow`` made."""
    pump, bat = ref(env, "demo_product_pump"), ref(env, "demo_product_battery")
    pump.product_tmpl_id.warranty_months = WARRANTY_MONTHS

    # final tests of the released pumps: demo/release.py, before they ship
    _approved_event(env, flow._lot(bat, "BAT-2026A"), "certificate", "pass", [],
                    "Supplier certificate of conformance, VoltCell lot BAT-2026A",
                    report=("CoC-VoltCell-BAT-2026A.txt",
                            "Certificate of Conformance\nVoltCell Energy GmbH\n"
                            "Lot BAT-2026A conforms to specification VC-74-2.\n"))
    failing = [row if row[0] != "Occlusion alarm pressure" else
               (row[0], 91.5) + row[2:] for row in FINAL_TEST]
    _approved_event(env, flow._lot(pump, "PUMP-0012"), "test", "fail", failing,
                    "Final functional test: occlusion alarm late")
    _approved_event(env, flow._lot(pump, "PUMP-0002"), "warranty_claim", False, [],
                    "St. Mary's reports the display flickering; unit returned.")


def _approved_event(env, lot, kind, result, measurements, description, report=None):
    event = env["serial.quality.event"].create({
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
        attachment = env["ir.attachment"].create({
            "name": name, "datas_fname": name, "mimetype": "text/plain",
            "datas": base64.b64encode(text.encode("utf-8")),
            "res_model": event._name, "res_id": event.id,
        })
        event.attachment_ids = [(6, 0, attachment.ids)]
    event._check_signature_allowed("approval")
    signature = env["serial.signature"]._sign(event, "approval", "Demo data")
    event._on_signed(signature)
    return event

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Release for distribution in the demo: the pump requires release, so its units get
their final test and Quinn Quality's release signature before they ship (the signing
dialog's steps after its password check, as in quality.py). PUMP-0012 is left
awaiting release: its test comes later, and fails."""
from .factory import ref
from .quality import FINAL_TEST, _approved_event

TESTED = range(1, 12)


def load(env, flow, productions):
    """Final-test pumps 1-11 and release them: the first MO with its button, the
    second as a selection of units (its PUMP-0012 is untested)."""
    pump = ref(env, "demo_product_pump")
    for number in TESTED:
        lot = flow._lot(pump, "PUMP-%04d" % number)
        _approved_event(env, lot, "test", "pass", FINAL_TEST, "Final functional test",
                        report=("final-test-%s.txt" % lot.name,
                                "Final functional test report\nUnit %s\nAll "
                                "parameters within limits.\n" % lot.name))
    quality = ref(env, "demo_user_quality")
    first, second = productions
    lots = first._serial_finished_lots() | second._serial_finished_lots().filtered(
        lambda lot: lot.name != "PUMP-0012")
    for production in (first, second):
        units = lots.filtered(lambda lot, p=production: lot._release_production() == p)
        _sign_release(env, units.sudo(quality))


def _sign_release(env, lots):
    release = env["serial.release"].create({"lot_ids": [(6, 0, lots.ids)]})
    release = release.sudo(lots.env.uid)
    release._check_signature_allowed("release")
    signature = env["serial.signature"].sudo(lots.env.uid)._sign(
        release, "release", "Demo data: final test passed")
    release._on_signed(signature)
    return release

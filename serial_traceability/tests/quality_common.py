# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Set-up shared by the quality event, hold and warranty tests."""
import contextlib

from odoo.exceptions import UserError

from .common import TraceabilityCase

PASSWORDS = {"t_trace_user": "trace-pw-1", "t_quality_mgr": "quality-pw-1"}
FINAL_TEST = (("Flow rate", 99.0, "%", "range", 95.0, 105.0),
              ("Leakage", 0.05, "mA", "max", 0.0, 0.1))


class QualityCase(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(QualityCase, cls).setUpClass()
        cls.trace_user = cls._user("t_trace_user",
                                   ["serial_traceability.group_traceability_user"])
        cls.qm = cls._user("t_quality_mgr", ["serial_traceability.group_quality_manager"])
        for user in (cls.trace_user, cls.qm):
            user.password = PASSWORDS[user.login]
        cls.pump.product_tmpl_id.warranty_months = 24

    @contextlib.contextmanager
    def assertRefused(self, pattern, exception=UserError):
        """Like assertRaisesRegex, on the message itself (the host's str() of its
        exceptions is a tuple repr, with newlines escaped)."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(caught.exception.name, pattern)

    def make_pumps(self, count=3):
        """Pumps U1..U<count> in stock, built from PCBs P1.. (through the host flows)."""
        self.receive_components(mcus=count)
        self.build_pcbs([("P%d" % i, [("C1", 2)], "M%d" % i) for i in range(1, count + 1)])
        self.build_pumps([("U%d" % i, "P%d" % i, "B1") for i in range(1, count + 1)])
        return [self.lot(self.pump, "U%d" % i) for i in range(1, count + 1)]

    def new_event(self, lots, kind="test", result="pass", measurements=FINAL_TEST,
                  user=None, **extra):
        vals = {
            "kind": kind,
            "result": result,
            "lot_ids": [(6, 0, [lot.id for lot in lots])],
            "measurement_ids": [
                (0, 0, {"parameter": p, "value": v, "uom": u, "limit_kind": k,
                        "min_value": lo, "max_value": hi})
                for p, v, u, k, lo, hi in measurements],
        }
        vals.update(extra)
        return self.env["serial.quality.event"].sudo(user or self.trace_user).create(vals)

    def sign(self, event, user=None, meaning="approval", password=None):
        """Sign through the signing dialog, as ``user`` (the quality manager)."""
        user = user or self.qm
        wizard = self.env["serial.sign.wizard"].sudo(user).create({
            "res_model": event._name, "res_id": event.id, "meaning": meaning,
            "password": password if password is not None else PASSWORDS.get(user.login),
        })
        wizard.action_sign()
        event.invalidate_cache()
        return event

    def approve(self, event, user=None):
        """What the Approve button does: open the dialog, then sign with its meaning."""
        user = user or self.qm
        action = event.sudo(user).action_approve()
        self.assertEqual(action["res_model"], "serial.sign.wizard")
        return self.sign(event, user, meaning=action["context"]["default_meaning"])

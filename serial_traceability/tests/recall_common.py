# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Set-up shared by the recall tests (no test of its own)."""
from .common import TraceabilityCase

QM_PASSWORD = "qm-Secret-1"


class RecallCase(TraceabilityCase):
    """The three-level factory of ``TraceabilityCase`` plus the people of a recall:
    a quality manager (least rights that may run one), a traceability user and the
    stock user (who may not)."""

    @classmethod
    def setUpClass(cls):
        super(RecallCase, cls).setUpClass()
        cls.qm = cls._user("t_recall_qm", ["serial_traceability.group_quality_manager"])
        cls.qm.write({"password": QM_PASSWORD})
        cls.trace_user = cls._user("t_recall_trace",
                                   ["serial_traceability.group_traceability_user"])
        cls.customer_a.write({"email": "biomed@hospital-a.example", "city": "Leeds",
                              "street": "1 Infirmary Road"})
        cls.customer_b.write({"email": "purchasing@clinic-b.example"})

    def build_two_pumps(self):
        """The precision trap: ONE MO builds P1 from capacitor lot C1 and P2 from C2;
        U1 is built from P1, U2 from P2."""
        self.receive_components()
        self.build_pcbs([("P1", [("C1", 2)], "M1"), ("P2", [("C2", 2)], "M2")])
        self.build_pumps([("U1", "P1", "B1"), ("U2", "P2", "B1")])
        return self.lot(self.pump, "U1"), self.lot(self.pump, "U2")

    def wizard(self, lots, user=None, **vals):
        vals.setdefault("reason", "Capacitor lot out of tolerance (supplier notice)")
        vals["lot_ids"] = [(6, 0, lots.ids)]
        return self.env["serial.recall.wizard"].sudo(user or self.qm).create(vals)

    def create_recall(self, lots, **vals):
        wizard = self.wizard(lots, **vals)
        wizard.action_preview()
        action = wizard.action_create_recall()
        self.assertEqual(action["res_model"], "serial.recall")
        return self.env["serial.recall"].sudo(self.qm).browse(action["res_id"])

    @staticmethod
    def by_lot(recall):
        return {line.lot_id.name: line for line in recall.line_ids}

    def quarantine(self):
        return self.env.ref("serial_traceability.stock_location_quarantine")

    def quant_qty(self, lot, location):
        return sum(self.env["stock.quant"].search(
            [("lot_id", "=", lot.id), ("location_id", "=", location.id)]).mapped("quantity"))

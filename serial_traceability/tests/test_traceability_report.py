# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from .common import TraceabilityCase


class TestTraceabilityReport(TraceabilityCase):
    """The host's Up/Down Traceability report still unfolds right with our hooks."""

    def _unfold(self, report, line, stream):
        # The web client unfolds a line without the report's opening context.
        report = report.with_context(active_id=False, model=False, ttype=False)
        return report.get_lines(line["id"], model_name=line["model"],
                                model_id=line["model_id"], level=line["level"] + 1,
                                parent_quant=False, stream=stream)

    def _unfold_all(self, report, lines, stream, depth=4):
        """Lot names on every line reached by unfolding ``depth`` levels, as a user
        clicking every unfoldable line would."""
        names = set()
        for _level in range(depth):
            unfolded = []
            for line in lines:
                names.add(line["columns"][1])
                if line["unfoldable"]:
                    unfolded += self._unfold(report, line, stream)
            lines = unfolded
        return names - {False}

    def _spread_dates(self):
        """One test transaction stamps every move line with the same second; the
        host's report orders moves by strictly earlier/later dates, as they are in a
        real factory. Give each line its own second, in creation order."""
        self.env.cr.execute("""
            UPDATE stock_move_line SET date = date - ((SELECT max(id) FROM stock_move_line)
                                                      - id) * interval '1 second'""")
        self.env["stock.move.line"].invalidate_cache()

    def test_downstream_unfolds_to_the_units_a_lot_went_into(self):
        self.receive_components()
        self.build_pcbs([("P1", [("C1", 2)], "M1"), ("P2", [("C2", 2)], "M2")])
        self._spread_dates()
        c1 = self.lot(self.cap, "C1")
        report = self.env["stock.traceability.report"].sudo(self.stock_user).with_context(
            active_id=c1.id, model="stock.production.lot", ttype="downstream")
        heads = report.get_lines()
        self.assertTrue(heads)
        reached = self._unfold_all(report, heads, "downstream")
        self.assertIn("P1", reached)
        self.assertNotIn("P2", reached)

    def test_upstream_unfolds_to_components(self):
        self.receive_components()
        self.build_pcbs([("P1", [("C1", 2)], "M1")])
        p1 = self.lot(self.pcb, "P1")
        # Shipped, so the report starts from the delivery's move line.
        self.flow._deliver(self.customer_a, [(self.pcb, 1, p1)])
        self._spread_dates()
        report = self.env["stock.traceability.report"].sudo(self.stock_user).with_context(
            active_id=p1.id, model="stock.production.lot", ttype="upstream")
        reached = self._unfold_all(report, report.get_lines(), "upstream")
        self.assertEqual(reached & {"C1", "M1"}, {"C1", "M1"})

    def test_quantity_text_follows_units_and_precision(self):
        """The report's quantities are formatted once per units and quantity, and
        still as the host does: converted, rounded to the precision in force."""
        report = self.env["stock.traceability.report"].sudo(self.stock_user)
        unit = self.env.ref("product.product_uom_unit")
        dozen = self.env.ref("product.product_uom_dozen")
        as_float = self.env["ir.qweb.field.float"]
        options = {"decimal_precision": "Product Unit of Measure"}
        self.assertEqual(report._quantity_to_str(dozen, unit, 2),
                         as_float.value_to_html(24, options))
        self.assertEqual(report._quantity_to_str(unit, unit, 2),
                         as_float.value_to_html(2, options))
        before = report._quantity_to_str(unit, unit, 2)
        self.env.ref("product.decimal_product_uom").digits += 1
        after = report._quantity_to_str(unit, unit, 2)
        self.assertEqual(len(after), len(before) + 1)  # one more decimal: not the cached text

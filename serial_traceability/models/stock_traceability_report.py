# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockTraceabilityReport(models.TransientModel):
    """The host's Up/Down Traceability report, kept, made usable on large data.

    Each line it formats is a record of one large recordset sharing one prefetch
    registry, so every field read does bookkeeping over the whole set: formatting
    grows with the square of the lines (a single unfold took minutes at 200k units).
    Giving each formatted line its own prefetch keeps the cost per line constant
    (``benchmarks/traceability_report.py``); the searches it runs are served by the
    addon's ``stock_move_line`` lot index.
    """

    _inherit = "stock.traceability.report"

    def make_dict_move(self, level, parent_id, move_line, stream=False, unfoldable=False):
        return super(StockTraceabilityReport, self).make_dict_move(
            level, parent_id, move_line.with_prefetch(), stream=stream, unfoldable=unfoldable)

    def make_dict_head(self, level, parent_id, model=False, stream=False, move_line=False):
        if move_line:
            move_line = move_line.with_prefetch()
        return super(StockTraceabilityReport, self).make_dict_head(
            level, parent_id, model=model, stream=stream, move_line=move_line)

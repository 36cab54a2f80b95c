# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models, tools


class StockTraceabilityReport(models.TransientModel):
    """The host's Up/Down Traceability report, kept, made usable on large data.

    Each line it formats is a record of one large recordset sharing one prefetch
    registry, so every field read does bookkeeping over the whole set; the
    genealogy issue measured one unfold at 300-667 s at 200k units, growing with
    the square of the lines. Giving each formatted line its own prefetch bounds
    that bookkeeping to the line itself. Each line's quantity is formatted
    through the QWeb float widget, which searches the decimal precision every
    time: a third of one click on a widely used lot. Formatting depends only on the
    units, the quantity and the language, so it is cached on those (the cache is
    cleared when a precision or a language changes).
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

    def _quantity_to_str(self, from_uom, to_uom, qty):
        return self._serial_quantity_str(
            from_uom.id, from_uom.factor, from_uom.rounding, to_uom.id, to_uom.factor,
            to_uom.rounding, qty, self.env.lang)

    @tools.ormcache("from_uom_id", "from_factor", "from_rounding", "to_uom_id", "to_factor",
                    "to_rounding", "qty", "lang")
    def _serial_quantity_str(self, from_uom_id, from_factor, from_rounding, to_uom_id,
                             to_factor, to_rounding, qty, lang):
        uom = self.env["product.uom"]
        return super(StockTraceabilityReport, self)._quantity_to_str(
            uom.browse(from_uom_id), uom.browse(to_uom_id), qty)

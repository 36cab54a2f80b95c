# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Device history record / batch record reports (on the lot, on a done MO).

The templates render ``stock.production.lot._device_history_records()`` and
nothing else. Debian's wkhtmltopdf (unpatched Qt) draws no header or footer, so
the company header is in the page body and "Page n of m" is stamped on the
finished PDF (``ir.actions.report.render_qweb_pdf`` below), counted per unit: the
unpatched wkhtmltopdf writes no outline either, but keeps link annotations, so each
record starts with a link to ``MARK`` + lot id, found and removed when stamping.
"""
import base64

from odoo import api, models

from ..lib import pdf_pages, serial_label

BARCODE_MM = (96.0, 15.0)
MARK = "https://serial-traceability.invalid/dhr/"
REPORTS = ("serial_traceability.serial_dhr",
           "serial_traceability.serial_dhr_production")


def _svg_uri(record):
    udi = record["udi"]
    if not udi["element_string"]:
        return {}
    content = serial_label.Content("gs1-128", udi["element_string"], udi["hri"], "")
    symbol = serial_label.render_svg(content, *BARCODE_MM)
    return {"svg_uri": "data:image/svg+xml;base64," + base64.b64encode(symbol.svg).decode(),
            "width_pct": "%.2f" % (100.0 * symbol.width_mm / 180.0),
            "height_mm": "%.3f" % symbol.height_mm}


class SerialDeviceHistoryReport(models.AbstractModel):
    _name = "report.serial_traceability.serial_dhr"
    _description = "Device history record of lots/serials"

    _source = "stock.production.lot"

    @api.model
    def _lots(self, docs):
        return docs

    @api.model
    def get_report_values(self, docids, data=None):
        docs = self.env[self._source].browse(docids)
        records = self._lots(docs)._device_history_records()
        for record in records:
            record["barcode"] = _svg_uri(record)
        return {"doc_ids": docids, "doc_model": self._source, "docs": docs,
                "records": records}


class SerialDeviceHistoryProductionReport(models.AbstractModel):
    _name = "report.serial_traceability.serial_dhr_production"
    _inherit = "report.serial_traceability.serial_dhr"
    _description = "Device history records of a manufacturing order's units"

    _source = "mrp.production"

    @api.model
    def _lots(self, docs):
        return docs._device_history_lots()


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.multi
    def render_qweb_pdf(self, res_ids=None, data=None):
        content, kind = super(IrActionsReport, self).render_qweb_pdf(res_ids, data=data)
        if (kind == "pdf" and self.report_name in REPORTS and content[:4] == b"%PDF"
                and not self.env.context.get("serial_dhr_raw")):
            content = number_pages(content, self.env["stock.production.lot"])
        return content, kind


def number_pages(content, lots):
    """``content`` (a PDF) with "<lot> - Page n of m" at the foot of every page, n and
    m counted within each unit's record (each record starts on a new page with its
    title linked to ``MARK`` + lot id)."""
    def sections(pages):
        starts = []  # (first page, lot id)
        for index, page in enumerate(pages):
            for lot_id in pdf_pages.link_marks(page, MARK)[:1]:
                starts.append((index, int(lot_id or 0)))
        names = {lot.id: lot.name
                 for lot in lots.browse([s[1] for s in starts if s[1]]).exists()}
        return [(first, names.get(lot_id)) for first, lot_id in starts]
    return pdf_pages.number_pages(content, sections)

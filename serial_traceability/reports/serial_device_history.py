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
import io

from odoo import api, models

from ..lib import serial_label

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


def _record_marks(page):
    """Lot ids of the records starting on ``page`` (their title links, removed)."""
    annots = page.get("/Annots")
    if annots is None:
        return []
    annots = annots.getObject()
    found, kept = [], []
    for annot in annots:
        uri = annot.getObject().get("/A", {}).get("/URI") or ""
        if uri.startswith(MARK):
            found.append(int(uri[len(MARK):].strip("/") or 0))
        else:
            kept.append(annot)
    if found:
        from PyPDF2.generic import ArrayObject, NameObject
        page[NameObject("/Annots")] = ArrayObject(kept)
    return found


def _pdf_text(text):
    """``text`` as a PDF literal string in WinAnsi (what Helvetica is set to)."""
    data = text.encode("cp1252", "replace")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(
        b")", b"\\)") + b")"


def number_pages(content, lots):
    """``content`` (a PDF) with "<lot> - Page n of m" at the foot of every page, n and
    m counted within each unit's record (each record starts on a new page with its
    title linked to ``MARK`` + lot id).

    The text is one more content stream on each page (the page's own streams wrapped
    in q/Q), not PyPDF2's ``mergePage``: that re-parses every page's content and took
    1 s a page."""
    from PyPDF2 import PdfFileReader, PdfFileWriter
    from PyPDF2.generic import (ArrayObject, DecodedStreamObject, DictionaryObject,
                                NameObject)
    from reportlab.pdfbase.pdfmetrics import stringWidth

    reader = PdfFileReader(io.BytesIO(content), strict=False)
    pages = [reader.getPage(index) for index in range(reader.getNumPages())]
    starts = []  # (first page, lot id)
    for index, page in enumerate(pages):
        for lot_id in _record_marks(page)[:1]:
            starts.append((index, lot_id))
    if not starts or starts[0][0] != 0:
        starts.insert(0, (0, 0))
    names = {lot.id: lot.name for lot in lots.browse([s[1] for s in starts if s[1]]).exists()}
    writer = PdfFileWriter()

    def add_stream(data):
        stream = DecodedStreamObject()
        stream.setData(data)
        return writer._addObject(stream)

    font = writer._addObject(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding")}))
    push = add_stream(b"q\n")
    for number, (first, lot_id) in enumerate(starts):
        last = starts[number + 1][0] if number + 1 < len(starts) else len(pages)
        for index in range(first, last):
            page = pages[index]
            label = "Page %d of %d" % (index - first + 1, last - first)
            if names.get(lot_id):
                label = "%s - %s" % (names[lot_id], label)
            x = float(page.mediaBox.getUpperRight_x()) - 28 - stringWidth(
                label, "Helvetica", 8)
            y = float(page.mediaBox.getLowerLeft_y()) + 16
            stamp = add_stream(b"\nQ q BT /STPageNumber 8 Tf 0 g %.2f %.2f Td %s Tj ET Q\n"
                               % (x, y, _pdf_text(label)))
            contents = page["/Contents"].getObject()
            if not isinstance(contents, ArrayObject):
                contents = ArrayObject([page.raw_get("/Contents")])
            page[NameObject("/Contents")] = ArrayObject([push] + list(contents) + [stamp])
            resources = page["/Resources"].getObject()
            fonts = resources.get("/Font")
            fonts = fonts.getObject() if fonts is not None else DictionaryObject()
            fonts[NameObject("/STPageNumber")] = font
            resources[NameObject("/Font")] = fonts
            writer.addPage(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Printing a released unit's record (issue 17 item 5).

*Print > Device history record* on a lot gives, for a unit whose record was frozen
at release, the stored PDF byte for byte (several lots, or an MO's units: the stored
PDFs and the live records of the others, merged in the order asked). *Print > After-release
addendum* renders live what happened to the unit since (shipments, returns,
service, recalls), which is not part of the released record.
"""
import io

from odoo import api, models

from .serial_device_history import MARK

LOT_REPORT = "serial_traceability.serial_dhr"
MO_REPORT = "serial_traceability.serial_dhr_production"
LOT_ACTION = "serial_traceability.serial_device_history_report"


def _marks(page):
    """Lot ids of the records starting on ``page`` (their title links, kept)."""
    annots = page.get("/Annots")
    found = []
    for annot in (annots.getObject() if annots is not None else []):
        uri = annot.getObject().get("/A", {}).get("/URI") or ""
        if uri.startswith(MARK):
            found.append(int(uri[len(MARK):].strip("/") or 0))
    return found


def split_records(content):
    """{lot id: PDF bytes} of each record of ``content`` (a PDF of several records,
    not yet page-numbered: each record starts on a page with its title's mark)."""
    from PyPDF2 import PdfFileReader, PdfFileWriter
    reader = PdfFileReader(io.BytesIO(content), strict=False)
    count = reader.getNumPages()
    starts = [(index, ids[0]) for index, ids in
              ((index, _marks(reader.getPage(index))) for index in range(count)) if ids]
    result = {}
    for number, (first, lot_id) in enumerate(starts):
        last = starts[number + 1][0] if number + 1 < len(starts) else count
        writer = PdfFileWriter()
        for index in range(first, last):
            writer.addPage(reader.getPage(index))
        out = io.BytesIO()
        writer.write(out)
        result[lot_id] = out.getvalue()
    return result


def merge_pdfs(contents):
    from PyPDF2 import PdfFileMerger
    merger = PdfFileMerger(strict=False)
    for content in contents:
        merger.append(io.BytesIO(content))
    out = io.BytesIO()
    merger.write(out)
    return out.getvalue()


class SerialDeviceHistoryReport(models.AbstractModel):
    _inherit = "report.serial_traceability.serial_dhr"

    @api.model
    def get_report_values(self, docids, data=None):
        values = super(SerialDeviceHistoryReport, self).get_report_values(docids, data=data)
        if self.env.context.get("serial_dhr_frozen"):
            for record in values["records"]:
                record["frozen"] = True
        return values


class SerialDeviceHistoryAddendumReport(models.AbstractModel):
    _name = "report.serial_traceability.serial_dhr_addendum"
    _inherit = "report.serial_traceability.serial_dhr"
    _description = "After-release addendum of lots/serials"

    @api.model
    def get_report_values(self, docids, data=None):
        values = super(SerialDeviceHistoryAddendumReport, self).get_report_values(
            docids, data=data)
        Lot = self.env["stock.production.lot"]
        entries = Lot._serial_frozen_entries([r["lot_id"] for r in values["records"]])
        for record in values["records"]:
            record["frozen_entry"] = entries.get(record["lot_id"]) or {}
        return values


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.multi
    def render_qweb_pdf(self, res_ids=None, data=None):
        if (self.report_name == MO_REPORT and res_ids and not data
                and not self.env.context.get("serial_dhr_live")):
            # an MO's units: each released one as stored, the others live
            ids = [res_ids] if isinstance(res_ids, int) else list(res_ids)
            lots = self.env["mrp.production"].browse(ids)._device_history_lots()
            if lots._serial_frozen_pdfs():
                return self.env.ref(LOT_ACTION).render_qweb_pdf(lots.ids)
        if (self.report_name != LOT_REPORT or not res_ids or data
                or self.env.context.get("serial_dhr_live")):
            return super(IrActionsReport, self).render_qweb_pdf(res_ids, data=data)
        ids = [res_ids] if isinstance(res_ids, int) else list(res_ids)
        stored = self.env["stock.production.lot"].browse(ids)._serial_frozen_pdfs()
        if not stored:
            return super(IrActionsReport, self).render_qweb_pdf(res_ids, data=data)
        live = self.with_context(serial_dhr_live=True)
        parts, pending = [], []
        for lot_id in ids + [None]:
            if lot_id is not None and lot_id not in stored:
                pending.append(lot_id)
                continue
            if pending:
                content, kind = live.render_qweb_pdf(pending)
                if kind != "pdf":
                    return content, kind  # tests without a report directory: HTML
                parts.append(content)
                pending = []
            if lot_id is not None:
                parts.append(stored[lot_id])
        return (parts[0] if len(parts) == 1 else merge_pdfs(parts)), "pdf"

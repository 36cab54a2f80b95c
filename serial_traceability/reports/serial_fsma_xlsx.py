# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The FSMA 204 sortable spreadsheet (21 CFR 1.1455(c)(3)(ii)): one row per critical
tracking event of one traceability lot, one header row, no merged cells, typed
numbers and dates. Rows are read in keyset batches and streamed into the workbook
(XlsxWriter's constant-memory mode), as the recall export does."""
import datetime

from odoo import _, api, fields, models

from ..sql import fsma as fsma_sql

BATCH = 5000

EVENTS = {
    "receiving": "Receiving",
    "transformation_input": "Transformation (input)",
    "transformation_output": "Transformation (output)",
    "shipping": "Shipping",
}

# (header, column of sql/fsma.py EVENTS, width, kind)
COLUMNS = [
    ("Critical tracking event", "event", 22, "event"),
    ("Traceability lot code", "tlc", 18, "text"),
    ("Traceability lot code source", "tlc_source", 26, "text"),
    ("Location description of the TLC source", "tlc_source_address", 44, "text"),
    ("Product description", "product", 34, "text"),
    ("Quantity", "qty", 10, "number"),
    ("Unit of measure", "uom", 10, "text"),
    ("Ship-from location", "ship_from", 44, "text"),
    ("Ship-to location", "ship_to", 44, "text"),
    ("Event date", "event_date", 18, "date"),
    ("Reference document type", "ref_type", 20, "text"),
    ("Reference document number", "ref_number", 18, "text"),
    ("Input lot codes (transformation)", "input_tlcs", 24, "text"),
    ("Output lot code (transformation)", "output_tlc", 18, "text"),
]


class FsmaXlsx(models.AbstractModel):
    _name = "report.serial_traceability.fsma_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "FSMA 204 critical tracking events spreadsheet"

    @api.model
    def _rows(self, params):
        """Dicts of ``sql/fsma.py`` EVENTS, in move line order, ``BATCH`` at a time."""
        after = 0
        while True:
            self.env.cr.execute(fsma_sql.EVENTS, dict(params, after=after, batch=BATCH))
            rows = self.env.cr.dictfetchall()
            if not rows:
                return
            for row in rows:
                yield row
            after = rows[-1]["id"]

    def get_workbook_options(self):
        return {"constant_memory": True, "default_date_format": "yyyy-mm-dd hh:mm"}

    def generate_xlsx_report(self, workbook, data, wizards):
        bold = workbook.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        for wizard in wizards:
            params = wizard._query_params()
            sheet = workbook.add_worksheet(_("Critical tracking events"))
            self._write_sheet(sheet, self._rows(params), bold, date_format)

    def _write_sheet(self, sheet, rows, bold, date_format):
        for col, (header, _key, width, _kind) in enumerate(COLUMNS):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, header, bold)
        sheet.freeze_panes(1, 0)
        last = 0
        for last, row in enumerate(rows, start=1):
            for col, (_header, key, _width, kind) in enumerate(COLUMNS):
                value = row.get(key)
                if value is None or value == "":
                    continue
                if kind == "number":
                    sheet.write_number(last, col, float(value))
                elif kind == "date":
                    # Odoo's cursor reads timestamps as text: typed, so it sorts.
                    if not isinstance(value, datetime.datetime):
                        value = fields.Datetime.from_string(value)
                    sheet.write_datetime(last, col, value, date_format)
                elif kind == "event":
                    sheet.write_string(last, col, EVENTS.get(value, value))
                else:
                    sheet.write_string(last, col, str(value))
        sheet.autofilter(0, 0, max(last, 1), len(COLUMNS) - 1)

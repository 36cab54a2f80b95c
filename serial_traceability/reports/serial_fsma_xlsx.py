# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The FSMA 204 sortable spreadsheet (21 CFR 1.1455(c)(3)(ii)): one row per critical
tracking event of one traceability lot, one header row, no merged cells, typed
numbers and dates. Rows are read in keyset batches and streamed into the workbook
(XlsxWriter's constant-memory mode), as the recall export does."""
from odoo import _, models

from ..sql import fsma as fsma_sql
from . import xlsx_stream

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

    def get_workbook_options(self):
        return dict(xlsx_stream.WORKBOOK_OPTIONS)

    def generate_xlsx_report(self, workbook, data, wizards):
        formats = xlsx_stream.sheet_formats(workbook)
        for wizard in wizards:
            rows = xlsx_stream.batched_rows(self.env.cr, fsma_sql.EVENTS,
                                            wizard._query_params())
            xlsx_stream.write_sheet(
                workbook.add_worksheet(_("Critical tracking events")), COLUMNS, rows,
                formats, lambda row, key, kind: (EVENTS.get(row[key], row[key])
                                                 if kind == "event" else row[key]))

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the addon's sortable spreadsheets (recall, FSMA 204) share: rows read in
keyset batches, written into XlsxWriter's constant-memory workbook with one header
row, typed numbers and dates, and an autofilter. ``columns``: ``[(header, key,
width, kind)]``."""
import datetime

from odoo import fields

BATCH = 5000
WORKBOOK_OPTIONS = {"constant_memory": True, "default_date_format": "yyyy-mm-dd hh:mm"}


def batched_rows(cr, sql, params, batch=BATCH):
    """The dicts of ``sql`` (ordered by ``id``, filtered ``id > %(after)s``, limited
    to ``%(batch)s``), ``batch`` rows per query."""
    after = 0
    while True:
        cr.execute(sql, dict(params, after=after, batch=batch))
        rows = cr.dictfetchall()
        if not rows:
            return
        for row in rows:
            yield row
        after = rows[-1]["id"]


def sheet_formats(workbook):
    """(header format, date format) of a workbook."""
    return (workbook.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1}),
            workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}))


def write_sheet(sheet, columns, rows, formats, text):
    """Write ``rows`` under the headers of ``columns``; ``text(row, key, kind)`` gives
    the text of a cell that is neither a number nor a date."""
    bold, date_format = formats
    for col, (header, _key, width, _kind) in enumerate(columns):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, header, bold)
    sheet.freeze_panes(1, 0)
    last = 0
    for last, row in enumerate(rows, start=1):
        for col, (_header, key, _width, kind) in enumerate(columns):
            value = row.get(key)
            if value is None or value == "":
                continue
            if kind == "number":
                sheet.write_number(last, col, float(value))
            elif kind == "date":
                # Odoo's cursor reads timestamps as text: typed, so that it sorts
                if not isinstance(value, datetime.datetime):
                    value = fields.Datetime.from_string(value)
                sheet.write_datetime(last, col, value, date_format)
            else:
                sheet.write_string(last, col, str(text(row, key, kind)))
    sheet.autofilter(0, 0, max(last, 1), len(columns) - 1)

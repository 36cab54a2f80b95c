# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The recall's sortable spreadsheet (FSMA 204, 21 CFR 1.1455(c)(3)(ii)).

Key data elements of each affected unit: traceability lot code, product
description, quantity and unit of measure, ship-from and ship-to location
(customer and address), ship date, reference document type and number; plus
where the unit is now and whether it came back. Rows are read from the database in
keyset batches and streamed into the workbook (XlsxWriter's constant-memory mode)
or the CSV, so memory stays flat at 100,000 units.
"""
import base64
import csv
import datetime
import io

from odoo import _, api, fields, models

from ..lib.csv_cells import safe_row
from ..models.serial_recall_line import LINE_ACTIONS, LINE_STATUSES
from . import xlsx_stream
from ..sql import recall_export as export_sql


# (header, column of sql/recall_export.py UNITS, width, kind)
UNIT_COLUMNS = [
    ("Traceability lot code", "tlc", 18, "text"),
    ("Product description", "product", 34, "text"),
    ("GTIN", "gtin", 16, "text"),
    ("Quantity", "qty", 10, "number"),
    ("Unit of measure", "uom", 10, "text"),
    ("Ship-from location", "ship_from", 40, "text"),
    ("Ship-to customer", "ship_to", 28, "text"),
    ("Ship-to address", "ship_to_address", 40, "text"),
    ("Ship date", "ship_date", 18, "date"),
    ("Reference document type", "ref_type", 16, "text"),
    ("Reference document number", "ref_number", 18, "text"),
    ("Status", "status", 16, "status"),
    ("At customer", "at_customer", 10, "bool"),
    ("Current location", "location", 28, "text"),
    ("Path from suspect lot", "path", 40, "text"),
    ("Suspect lot", "suspect", 16, "text"),
    ("Level", "depth", 6, "number"),
    ("Built by", "production", 16, "text"),
    ("Open MO", "wip_production", 16, "text"),
    ("Action", "action", 18, "action"),
    ("Contained", "action_done", 10, "bool"),
    ("Recovered", "recovered", 10, "bool"),
    ("Recovered on", "recovered_date", 18, "date"),
]

CONTACT_COLUMNS = [
    ("Customer", "name", 30, "text"),
    ("E-mail", "email", 28, "text"),
    ("Phone", "phone", 16, "text"),
    ("Mobile", "mobile", 16, "text"),
    ("Address", "address", 40, "text"),
    ("Units held", "units", 10, "number"),
    ("Units recovered", "recovered", 10, "number"),
    ("Deliveries", "deliveries", 10, "number"),
    ("Delivery references", "refs", 30, "text"),
    ("First ship date", "first_ship", 18, "date"),
    ("Last ship date", "last_ship", 18, "date"),
    ("Notified", "notified", 10, "bool"),
]


class RecallXlsx(models.AbstractModel):
    _name = "report.serial_traceability.recall_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Recall: affected units spreadsheet"

    # -- rows --------------------------------------------------------------------------
    @api.model
    def _unit_rows(self, recall, partner_id=None):
        """Dicts of ``sql/recall_export.py`` UNITS, in id order, in batches."""
        return xlsx_stream.batched_rows(self.env.cr, export_sql.UNITS, {
            "recall_id": recall.id, "partner_id": partner_id})

    @api.model
    def _contact_rows(self, recall):
        self.env.cr.execute(export_sql.CONTACTS, {"recall_id": recall.id})
        return self.env.cr.dictfetchall()

    @api.model
    def _labels(self):
        return {"status": dict(LINE_STATUSES), "action": dict(LINE_ACTIONS)}

    @api.model
    def _text(self, row, column, kind, labels):
        value = row.get(column)
        if value is None:
            return ""
        if kind in labels:
            return labels[kind].get(value, value)
        if kind == "bool":
            return _("yes") if value else _("no")
        if kind == "date":
            return fields.Datetime.to_string(value) if isinstance(value, datetime.datetime) \
                else str(value)
        return value

    @api.model
    def _check_export(self, recalls):
        recalls.check_access_rights("read")
        recalls.check_access_rule("read")
        recalls._check_manager()

    # -- XLSX (report_xlsx) ---------------------------------------------------------
    def get_workbook_options(self):
        return dict(xlsx_stream.WORKBOOK_OPTIONS)

    def generate_xlsx_report(self, workbook, data, recalls):
        self._check_export(recalls)
        labels = self._labels()
        formats = xlsx_stream.sheet_formats(workbook)

        def text(row, key, kind):
            return self._text(row, key, kind, labels)
        for recall in recalls:
            prefix = recall.name.replace("/", "-")[-20:] + " " if len(recalls) > 1 else ""
            xlsx_stream.write_sheet(workbook.add_worksheet(prefix + _("Affected units")),
                                    UNIT_COLUMNS, self._unit_rows(recall), formats, text)
            xlsx_stream.write_sheet(workbook.add_worksheet(prefix + _("Customers")),
                                    CONTACT_COLUMNS, self._contact_rows(recall), formats, text)
        recalls._note_export()

    # -- CSV -------------------------------------------------------------------------------
    @api.model
    def _csv(self, columns, rows):
        """Every CSV of the recall (units, customers, the file mailed to a customer):
        a text cell that a spreadsheet would run as a formula is written as text."""
        labels = self._labels()
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([header for header, _key, _width, _kind in columns])
        for row in rows:
            writer.writerow(safe_row(self._text(row, key, kind, labels)
                                     for _header, key, _width, kind in columns))
        # A BOM so that spreadsheet programs read the file as UTF-8.
        return out.getvalue().encode("utf-8-sig")

    @api.model
    def _csv_base64(self, recall, partner_id=None):
        """Affected units as CSV (base64, for an attachment); ``partner_id``: only the
        units that customer holds."""
        self._check_export(recall)
        data = self._csv(UNIT_COLUMNS, self._unit_rows(recall, partner_id))
        if partner_id is None:
            recall._note_export()
        return base64.b64encode(data)

    @api.model
    def _contacts_csv_base64(self, recall):
        self._check_export(recall)
        return base64.b64encode(self._csv(CONTACT_COLUMNS, self._contact_rows(recall)))

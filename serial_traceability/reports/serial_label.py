# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Unit labels: a thermal label per unit, or an A4 sheet of 2 x 7 labels.

Thermal size: 100 x 50 mm (the common 4" x 2" roll), not 50 x 25 mm: a (01) GTIN +
(21) serial symbol is 250 to 390 modules wide, so on 46 mm of usable width its bars
would be 0.11-0.17 mm, finer than a 203 dpi printer's 0.125 mm dot and, measured,
unreadable by zbarimg from a 300 dpi raster below ~0.17 mm. At 96 mm every serial the
patterns allow prints at 0.23 mm or more.

The barcode is python-barcode's SVG as a data URI (see lib/serial_label.py for what it
encodes), or on the DataMatrix variant a GS1 DataMatrix SVG (lib/serial_datamatrix.py)
of the same element string; everything is in the page body, since Debian's wkhtmltopdf
(unpatched Qt) draws no header or footer.
"""
import base64
import datetime

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import serial_datamatrix, serial_label

# barcode area (width, height) in mm per label format
# thermal_datamatrix: the symbol cell is 22% of the 96 mm printable width
FORMATS = {"thermal": (96.0, 20.0), "a4": (96.0, 15.0), "thermal_datamatrix": (21.0, 21.0)}
A4_COLUMNS, A4_ROWS = 2, 7
EXPIRY_FIELDS = ("expiry_date", "life_date", "expiration_date")


class SerialLabel(models.AbstractModel):
    _name = "serial.label"
    _description = "Unit label contents"

    @api.model
    def print_for(self, lots, documents):
        """The thermal labels of ``lots``, printed from ``documents`` (transfers, MOs)."""
        if not lots:
            raise UserError(_("%s has no lots or serial numbers to label yet.")
                            % ", ".join(documents.mapped("name")))
        return self.env.ref("serial_traceability.serial_label_thermal_report").report_action(
            lots)

    @api.model
    def _label_expiry(self, lot):
        """Expiry for GS1 (17), from whichever expiry field the database has."""
        for name in EXPIRY_FIELDS:
            field = lot._fields.get(name)
            if field is not None and lot[name]:
                if field.type == "datetime":
                    return fields.Datetime.from_string(lot[name]).date()
                if field.type == "date":
                    return fields.Date.from_string(lot[name])
        return None

    @api.model
    def _label_production_date(self, lot):
        """Production date for GS1 (11): the lot's own, else the day its MO was done
        (read as superuser: a stock user printing a receipt may not read MOs)."""
        if lot.production_date:
            return fields.Date.from_string(lot.production_date)
        production = lot.sudo().production_id
        if production.state == "done" and production.date_finished:
            return fields.Datetime.from_string(production.date_finished).date()
        return None

    @api.model
    def _label_data(self, lots, label_format):
        width, height = FORMATS[label_format]
        labels = []
        for lot in lots:
            product = lot.product_id
            expiry = self._label_expiry(lot)
            made = self._label_production_date(lot)
            content = serial_label.barcode_content(product.barcode, product.tracking,
                                                   lot.name, expiry, made)
            label = {
                "lot": lot,
                "product_name": product.name,
                "default_code": product.default_code or "",
                "number_label": "SN" if product.tracking == "serial" else "LOT",
                "expiry": expiry and expiry.isoformat() or "",
                "production_date": made and made.isoformat() or "",
                "manufacturer": (lot.sudo().company_id or self.env.user.company_id).name,
                "content": content,
                "kind": content.kind,
                "data": content.data,
                "hri": content.hri,
                "note": content.note,
                "svg_uri": False,
            }
            if content.kind != "none" and label_format != "thermal_datamatrix":
                symbol = serial_label.render_svg(content, width, height)
                label.update({
                    "svg_uri": "data:image/svg+xml;base64,"
                               + base64.b64encode(symbol.svg).decode(),
                    "width_pct": "%.2f" % (100.0 * symbol.width_mm / width),
                    "height_mm": "%.3f" % symbol.height_mm,
                    "readable": symbol.readable,
                })
            labels.append(label)
        if label_format == "thermal_datamatrix":
            self._label_datamatrix(labels, width, height)
        return labels

    @api.model
    def _label_datamatrix(self, labels, width, height):
        """Add the DataMatrix SVG to ``labels`` (one ghostscript run for all)."""
        drawn = [label for label in labels if label["kind"] != "none"]
        try:
            matrices = serial_datamatrix.matrices([label["content"] for label in drawn])
        except serial_datamatrix.DataMatrixError as exc:
            raise UserError(str(exc))
        for label, matrix in zip(drawn, matrices):
            symbol = serial_datamatrix.render_svg(matrix, width, height)
            label.update({
                "svg_uri": "data:image/svg+xml;base64," + base64.b64encode(symbol.svg).decode(),
                "width_pct": "%.2f" % (100.0 * symbol.width_mm / width),
                "height_mm": "%.3f" % symbol.height_mm,
                "readable": symbol.readable,
            })

    @api.model
    def _label_pages(self, labels):
        """A4 sheets: pages of rows of ``A4_COLUMNS`` labels (None fills the last row)."""
        per_page = A4_COLUMNS * A4_ROWS
        pages = []
        for start in range(0, len(labels), per_page):
            chunk = labels[start:start + per_page]
            chunk += [None] * (-len(chunk) % A4_COLUMNS)
            pages.append([chunk[i:i + A4_COLUMNS] for i in range(0, len(chunk), A4_COLUMNS)])
        return pages


class SerialLabelReport(models.AbstractModel):
    """Shared by the six label reports: {thermal, A4} x {lots, receipt, MO}."""

    _name = "serial.label.report"
    _description = "Unit label report"

    _label_format = "thermal"
    _label_source = "stock.production.lot"

    @api.model
    def get_report_values(self, docids, data=None):
        docs = self.env[self._label_source].browse(docids)
        lots = docs if self._label_source == "stock.production.lot" \
            else docs._serial_label_lots()
        labels = self.env["serial.label"]._label_data(lots, self._label_format)
        # every rendering is a print: the label log (models/serial_label_log.py)
        self.env["serial.label.log"]._record(labels, self._name[len("report."):])
        return {
            "doc_ids": docids,
            "doc_model": self._label_source,
            "docs": docs,
            "labels": labels,
            "pages": self.env["serial.label"]._label_pages(labels),
            "printed_on": datetime.date.today().isoformat(),
        }


# The report models the report actions name: (suffix, format, source, description).
LABEL_REPORTS = [
    ("thermal", "thermal", "stock.production.lot", "Thermal unit labels of lots"),
    ("a4", "a4", "stock.production.lot", "A4 sheet of unit labels of lots"),
    ("thermal_picking", "thermal", "stock.picking", "Thermal unit labels of a transfer"),
    ("a4_picking", "a4", "stock.picking", "A4 sheet of unit labels of a transfer"),
    ("thermal_production", "thermal", "mrp.production",
     "Thermal unit labels of a manufacturing order"),
    ("a4_production", "a4", "mrp.production",
     "A4 sheet of unit labels of a manufacturing order"),
    ("dm", "thermal_datamatrix", "stock.production.lot",
     "Thermal unit labels of lots, GS1 DataMatrix"),
    ("dm_picking", "thermal_datamatrix", "stock.picking",
     "Thermal unit labels of a transfer, GS1 DataMatrix"),
    ("dm_production", "thermal_datamatrix", "mrp.production",
     "Thermal unit labels of a manufacturing order, GS1 DataMatrix"),
]

for _suffix, _format, _source, _description in LABEL_REPORTS:
    # Odoo registers a model class when it is created; __module__ names the addon.
    type("SerialLabelReport_" + _suffix, (models.AbstractModel,), {
        "__module__": __name__,
        "_name": "report.serial_traceability.serial_label_" + _suffix,
        "_inherit": "serial.label.report",
        "_description": _description,
        "_label_format": _format,
        "_label_source": _source,
    })

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A measurement as the report and the test sheet write it: with the decimals its
parameter is given in (limits 95.0-105.0 and a reading of 99.2 show one decimal,
0.04 mA two), not the six decimals the value is stored with."""
from odoo import api, fields, models

MAX_DECIMALS = 6  # the stored precision (digits=(16, 6))


def decimals(number):
    """Decimals ``number`` is written with, trailing zeros left out (0.10 -> 1)."""
    text = ("%.*f" % (MAX_DECIMALS, number)).rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


class SerialQualityMeasurement(models.Model):
    _inherit = "serial.quality.measurement"

    value_text = fields.Char("Value", compute="_compute_texts")
    limits_text = fields.Char("Limits", compute="_compute_texts")

    @api.depends("value", "uom", "limit_kind", "min_value", "max_value")
    def _compute_texts(self):
        for line in self:
            bounds = {"range": (line.min_value, line.max_value), "min": (line.min_value,),
                      "max": (line.max_value,)}.get(line.limit_kind, ())
            places = max(decimals(n) for n in (line.value,) + bounds)
            unit = " %s" % line.uom if line.uom else ""

            def show(number, places=places):
                return "%.*f" % (places, number)
            line.value_text = show(line.value) + unit
            line.limits_text = {
                "range": "%s \u2013 %s%s" % (show(line.min_value), show(line.max_value), unit),
                "min": "\u2265 %s%s" % (show(line.min_value), unit),
                "max": "\u2264 %s%s" % (show(line.max_value), unit),
            }.get(line.limit_kind, "\u2014")

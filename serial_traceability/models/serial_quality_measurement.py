# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

LIMIT_KINDS = [
    ("range", "Between min and max"),
    ("min", "At least min"),
    ("max", "At most max"),
    ("none", "Recorded only"),
]
NUMBER_FIELDS = ("value", "min_value", "max_value")
# numeric(16, 6): at most 10 digits before the decimal point
LARGEST = 10 ** 10


def _empty(raw):
    return raw is None or raw is False or (isinstance(raw, str) and not raw.strip())


class SerialQualityMeasurement(models.Model):
    """One measured parameter of a quality event.

    The limit kind is explicit because the host stores an empty float as 0.0: a
    lone "max 0.1 mA" must not silently become "between 0 and 0.1". For the same
    reason the reading must be given: a missing value would be stored as 0.0 and
    pass "at most 1.0" (issue 14); an unused limit may stay empty (0.0). Numbers
    sent as text over RPC are read with a decimal point; anything else gets a
    sentence.
    """

    _name = "serial.quality.measurement"
    _inherit = ["serial.checked.mixin"]
    _description = "Quality event measurement"
    _order = "event_id, sequence, id"

    event_id = fields.Many2one(
        "serial.quality.event", "Quality event", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(
        related="event_id.company_id", store=True, readonly=True, string="Company")
    sequence = fields.Integer(default=10)
    parameter = fields.Char(required=True)
    value = fields.Float(required=True, digits=(16, 6))
    uom = fields.Char("Unit", help="Unit of the value and limits, as printed on the report "
                                   "(e.g. mL/h, mA, kPa).")
    limit_kind = fields.Selection(LIMIT_KINDS, "Limits", required=True, default="range")
    min_value = fields.Float("Min", digits=(16, 6))
    max_value = fields.Float("Max", digits=(16, 6))
    passed = fields.Boolean(compute="_compute_passed", store=True, readonly=True)

    @api.depends("value", "limit_kind", "min_value", "max_value")
    def _compute_passed(self):
        for line in self:
            low_ok = line.limit_kind in ("max", "none") or line.value >= line.min_value
            high_ok = line.limit_kind in ("min", "none") or line.value <= line.max_value
            line.passed = low_ok and high_ok

    @api.constrains("limit_kind", "min_value", "max_value")
    def _check_limits(self):
        for line in self:
            if line.limit_kind == "range" and line.min_value > line.max_value:
                raise ValidationError(_(
                    "Measurement %(parameter)s: the minimum (%(min)s) is above the maximum "
                    "(%(max)s).") % {"parameter": line.parameter, "min": line.min_value,
                                     "max": line.max_value})

    def _as_text(self):
        """Stable one-line form, used in the signed content of the event."""
        self.ensure_one()
        return "%s=%r %s [%s %r..%r] %s" % (
            self.parameter, self.value, self.uom or "", self.limit_kind, self.min_value,
            self.max_value, "pass" if self.passed else "fail")

    # -- numbers in -------------------------------------------------------------------
    @api.model
    def _read_number(self, parameter, name, raw):
        """``raw`` (a number, or a number as text) as a finite float, or a UserError
        naming the measurement and what is wrong."""
        what = self._fields[name].string.lower()
        if _empty(raw):
            raise UserError(_("Measurement %(parameter)s has no %(what)s: enter it (0 if it "
                              "is zero).") % {"parameter": parameter, "what": what})
        number = None
        if isinstance(raw, str):
            text = raw.strip()
            if "," in text:
                raise UserError(_("Measurement %(parameter)s: %(what)s %(text)r is not a "
                                  "number; write it with a decimal point (1.5) and without "
                                  "thousands separators.")
                                % {"parameter": parameter, "what": what, "text": text})
            try:
                number = float(text)
            except ValueError:
                number = None
        elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
            try:
                number = float(raw)
            except OverflowError:
                number = float("inf")
        if number is None:
            raise UserError(_("Measurement %(parameter)s: %(what)s %(raw)r is not a "
                              "number.") % {"parameter": parameter, "what": what, "raw": raw})
        if not math.isfinite(number) or abs(number) >= LARGEST:
            raise UserError(_("Measurement %(parameter)s: %(what)s %(raw)r is not a finite "
                              "number below %(largest)s.")
                            % {"parameter": parameter, "what": what, "raw": raw,
                               "largest": "{:,}".format(LARGEST)})
        return number

    @api.model
    def _checked_numbers(self, vals, parameter, creating=False):
        """``vals`` with its numbers read; the value is required (on create, given)."""
        vals = dict(vals)
        if creating and "value" not in vals:
            self._read_number(parameter, "value", None)
        for name in NUMBER_FIELDS:
            if name not in vals:
                continue
            vals[name] = 0.0 if _empty(vals[name]) and name != "value" else self._read_number(
                parameter, name, vals[name])
        return vals

    @api.model
    def create(self, vals):
        if vals.get("event_id"):
            self.env["serial.quality.event"].browse(vals["event_id"])._check_editable()
        vals = self._checked_numbers(vals, vals.get("parameter") or _("(unnamed)"),
                                     creating=True)
        return super(SerialQualityMeasurement, self).create(vals)

    @api.multi
    def write(self, vals):
        self.mapped("event_id")._check_editable()
        if vals.get("event_id"):
            self.env["serial.quality.event"].browse(vals["event_id"])._check_editable()
        parameter = vals.get("parameter") or ", ".join(self.mapped("parameter"))
        return super(SerialQualityMeasurement, self).write(
            self._checked_numbers(vals, parameter))

    @api.multi
    def unlink(self):
        self.mapped("event_id")._check_editable()
        return super(SerialQualityMeasurement, self).unlink()

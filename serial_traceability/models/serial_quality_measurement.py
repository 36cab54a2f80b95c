# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

LIMIT_KINDS = [
    ("range", "Between min and max"),
    ("min", "At least min"),
    ("max", "At most max"),
    ("none", "Recorded only"),
]


class SerialQualityMeasurement(models.Model):
    """One measured parameter of a quality event.

    The limit kind is explicit because the host stores an empty float as 0.0: a
    lone "max 0.1 mA" must not silently become "between 0 and 0.1".
    """

    _name = "serial.quality.measurement"
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

    @api.model
    def create(self, vals):
        if vals.get("event_id"):
            self.env["serial.quality.event"].browse(vals["event_id"])._check_editable()
        return super(SerialQualityMeasurement, self).create(vals)

    @api.multi
    def write(self, vals):
        self.mapped("event_id")._check_editable()
        if vals.get("event_id"):
            self.env["serial.quality.event"].browse(vals["event_id"])._check_editable()
        return super(SerialQualityMeasurement, self).write(vals)

    @api.multi
    def unlink(self):
        self.mapped("event_id")._check_editable()
        return super(SerialQualityMeasurement, self).unlink()

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    serial_drill_target_hours = fields.Float(
        "Mock recall target (hours)", default=4.0,
        help="A mock recall passes when the affected units' spreadsheet was first "
             "exported within this many hours of opening the recall wizard.")
    serial_drill_target_pct = fields.Float(
        "Mock recall target accounted (%)", default=99.5,
        help="A mock recall passes when the mass balance of every suspect lot accounts "
             "for at least this share of its quantity.")

    @api.constrains("serial_drill_target_hours", "serial_drill_target_pct")
    def _check_serial_drill_targets(self):
        for company in self:
            if company.serial_drill_target_hours <= 0:
                raise ValidationError(_("The mock recall target must be a positive number "
                                        "of hours."))
            if not 0 < company.serial_drill_target_pct <= 100:
                raise ValidationError(_("The mock recall accounted target must be above 0 "
                                        "and at most 100 %."))

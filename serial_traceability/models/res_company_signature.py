# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """How many wrong signing passwords lock a user's electronic signing
    (21 CFR 11.300(d)); see models/res_users_signature.py."""

    _inherit = "res.company"

    serial_sign_max_failures = fields.Integer(
        "Wrong signing passwords before lockout", default=5, required=True,
        help="After this many wrong passwords in the signing dialog within the window "
             "below, the user's signing is locked until a Quality Manager unlocks it.")
    serial_sign_failure_minutes = fields.Integer(
        "Lockout window (minutes)", default=15, required=True,
        help="Wrong signing passwords older than this do not count towards the lockout.")

    @api.constrains("serial_sign_max_failures", "serial_sign_failure_minutes")
    def _check_serial_sign_lockout(self):
        for company in self:
            if company.serial_sign_max_failures < 1 or company.serial_sign_failure_minutes < 1:
                raise ValidationError(_(
                    "%s: the signing lockout needs at least one wrong password within at "
                    "least one minute.") % company.name)

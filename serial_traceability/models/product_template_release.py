# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ProductTemplate(models.Model):
    """Release for distribution (issue 17, docs/release.md): off by default, so that
    installing the addon changes no running flow."""

    _inherit = "product.template"

    serial_requires_release = fields.Boolean(
        "Requires release before shipping", default=False,
        help="A unit of this product cannot be delivered to a customer until a Quality "
             "Manager releases it with an electronic signature of meaning 'release'.")

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def post_init_hook(cr, registry):
    """Genealogy for production recorded before the addon was installed."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["serial.genealogy.edge"]._backfill()

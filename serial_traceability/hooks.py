# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api

from .lib import audit_append_sql, genealogy_reach_sql, genealogy_sql


def post_init_hook(cr, registry):
    """Genealogy for production recorded before the addon was installed."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["serial.genealogy.edge"]._backfill()


def uninstall_hook(cr, registry):
    """Drop the trace functions, the kept closure, the trigger on the host's move
    lines and the audit trail's append functions (Odoo drops only the tables of the
    addon's models)."""
    for statement in (genealogy_sql.drop_ddl() + list(genealogy_reach_sql.DROP)
                      + list(audit_append_sql.DROP)):
        cr.execute(statement)

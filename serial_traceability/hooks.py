# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api

from .lib import genealogy_reach_sql, genealogy_sql


def post_init_hook(cr, registry):
    """The audit trail starts by saying what the install derived from the history
    in the database (the backfills themselves ran with the schema update)."""
    api.Environment(cr, SUPERUSER_ID, {})["serial.install"]._install_backfill(["audit"])


def uninstall_hook(cr, registry):
    """Drop the trace functions, the kept closure and the trigger on the host's move
    lines (Odoo drops only the tables of the addon's models)."""
    for statement in genealogy_sql.drop_ddl() + list(genealogy_reach_sql.DROP):
        cr.execute(statement)

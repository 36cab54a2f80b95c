# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import SUPERUSER_ID, api

from .sql import audit_append as audit_append_sql
from .sql import genealogy as genealogy_sql
from .sql import genealogy_reach as genealogy_reach_sql

_logger = logging.getLogger(__name__)


def post_init_hook(cr, registry):
    """The audit trail starts by saying what the install derived from the history
    in the database (the backfills themselves ran with the schema update); then, on a
    database that takes demo data, the demo factory's history."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["serial.install"]._install_backfill(["audit"])
    cr.execute("SELECT demo FROM ir_module_module WHERE name = 'serial_traceability'")
    if cr.fetchone()[0]:
        from . import demo
        demo.load(env)


def uninstall_hook(cr, registry):
    """Drop the trace functions, the kept closure, the trigger on the host's move
    lines and the audit trail's append functions (Odoo drops only the tables of the
    addon's models)."""
    for statement in (genealogy_sql.drop_ddl() + list(genealogy_reach_sql.DROP)
                      + list(audit_append_sql.DROP)):
        cr.execute(statement)
    _restore_host_lot_constraint(cr)


def _restore_host_lot_constraint(cr):
    """Give the host back its unique (name, product) on lots, which the addon replaced
    by a per-company index. Serials repeated across companies make that impossible:
    then the uninstall goes on and the log names them."""
    cr.execute("DROP INDEX IF EXISTS stock_production_lot_serial_company_uniq")
    cr.execute("""SELECT name, product_id FROM stock_production_lot
                  GROUP BY name, product_id HAVING count(*) > 1 LIMIT 20""")
    repeated = cr.fetchall()
    if repeated:
        _logger.warning("Lots repeat a serial number across companies %s: the host's "
                        "unique (name, product) constraint is not restored.", repeated)
        return
    cr.execute("ALTER TABLE stock_production_lot DROP CONSTRAINT IF EXISTS "
               "stock_production_lot_name_ref_uniq")
    cr.execute("ALTER TABLE stock_production_lot ADD CONSTRAINT "
               "stock_production_lot_name_ref_uniq UNIQUE (name, product_id)")

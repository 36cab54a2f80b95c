# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..sql import genealogy as genealogy_sql
from ..sql import genealogy_reach as genealogy_reach_sql


class SerialGenealogyEdge(models.Model):
    """One consumed lot/serial going into one produced lot/serial through an MO.

    Written only by the database trigger on the host's move lines (see
    ``sql/genealogy.py``); users read it, nobody edits it.
    """

    _name = "serial.genealogy.edge"
    _description = "Genealogy link (component lot into produced lot)"
    _order = "date desc, id desc"
    _log_access = False
    _rec_name = "component_lot_id"

    move_line_id = fields.Many2one(
        "stock.move.line", "Consumption line", readonly=True, index=True,
        ondelete="cascade")
    component_lot_id = fields.Many2one(
        "stock.production.lot", "Component lot/serial", readonly=True, required=True,
        ondelete="cascade")
    parent_lot_id = fields.Many2one(
        "stock.production.lot", "Went into", readonly=True, required=True,
        ondelete="cascade")
    production_id = fields.Many2one("mrp.production", "Manufacturing order", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    product_id = fields.Many2one("product.product", "Component", readonly=True)
    qty = fields.Float("Quantity", readonly=True)
    date = fields.Datetime(readonly=True)
    active = fields.Boolean(default=True, readonly=True,
                            help="Unchecked once the unit was unbuilt: the link is kept "
                                 "as history but no longer traced.")
    unbuild_id = fields.Many2one("mrp.unbuild", "Undone by unbuild", readonly=True)

    _sql_constraints = [
        ("move_line_uniq", "unique (move_line_id)",
         "A consumption line gives one genealogy link."),
    ]

    @api.model_cr
    def init(self):
        cr = self.env.cr
        cr.execute(genealogy_sql.SYNC_FUNCTION)
        cr.execute(genealogy_sql.SYNC_TRIGGER)
        for statement in genealogy_sql.INDEXES:
            cr.execute(statement)
        cr.execute("SELECT to_regclass('serial_genealogy_reach') IS NULL")
        new_reach = cr.fetchone()[0]
        for statement in genealogy_reach_sql.ddl(cr._cnx.server_version):
            cr.execute(statement)
        if new_reach:
            # links recorded before the kept closure existed: filled at the end of
            # this schema update, with the install's other backfills
            self.env["serial.install"]._schedule("closure")
        # The trace functions read columns other models of the addon add to the lot:
        # create them once every table of the module is complete.
        self.pool.post_init(self._create_trace_functions)

    @api.model
    def _create_trace_functions(self):
        cr = self.env.cr
        for statement in genealogy_sql.function_ddl(cr._cnx.server_version):
            cr.execute(statement)

    @api.model
    def _backfill(self):
        """Links for consumption recorded while the trigger was off, and the kept
        closure after them; returns how many links were added."""
        before = self.with_context(active_test=False).search_count([])
        self.env["serial.install"]._install_backfill(["links", "closure"])
        return self.with_context(active_test=False).search_count([]) - before

    @api.model
    def _mark_unbuilt(self, unbuild):
        """Unbuilding a unit takes its components out of it: keep the links as
        history, stop tracing through them."""
        self.env.cr.execute("""
            UPDATE serial_genealogy_edge e SET active = FALSE, unbuild_id = %(unbuild)s
             WHERE e.production_id = %(mo)s AND e.parent_lot_id = %(lot)s AND e.active
               AND (SELECT COALESCE(SUM(u.product_qty), 0) FROM mrp_unbuild u
                     WHERE u.mo_id = %(mo)s AND u.lot_id = %(lot)s AND u.state = 'done')
                   >= (SELECT COALESCE(SUM(ml.qty_done), 0)
                         FROM stock_move_line ml JOIN stock_move m ON m.id = ml.move_id
                        WHERE m.production_id = %(mo)s AND ml.lot_id = %(lot)s
                          AND ml.state = 'done')
        """, {"unbuild": unbuild.id, "mo": unbuild.mo_id.id, "lot": unbuild.lot_id.id})
        self.invalidate_cache()

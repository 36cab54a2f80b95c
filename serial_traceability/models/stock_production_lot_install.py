# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models, tools

from ..sql import install as install_sql
from .serial_install import COMPUTED_COLUMNS


class StockProductionLot(models.Model):
    """Which of the lot's columns are new in this schema update: their install
    backfill is scheduled (``models/serial_install.py``)."""

    _inherit = "stock.production.lot"

    @api.model_cr_context
    def _auto_init(self):
        cr = self._cr
        columns = tools.table_columns(cr, self._table)
        install = self.env["serial.install"]
        if columns and "company_id" not in columns:
            install._schedule("lot_company")
        if columns and "current_location_id" not in columns:
            install._schedule("unit_fields")
        for name in COMPUTED_COLUMNS:
            if columns and name not in columns and self._precreate(name):
                install._schedule("lot_computed", name)
        return super(StockProductionLot, self)._auto_init()

    @api.model_cr_context
    def _precreate(self, name):
        """Create the column of stored computed field ``name`` before the ORM does:
        it would then compute the field lot by lot for every lot in the database
        (hours on millions of lots); the install fills it in one statement instead.
        Not when it can't: a quality state of lots that already have quality events."""
        field = self._fields.get(name)
        if field is None or not field.store or not field.compute:
            return False
        if name == "quality_state" and tools.table_exists(self._cr,
                                                          "serial_quality_event_lot_rel"):
            self._cr.execute("SELECT EXISTS (SELECT 1 FROM serial_quality_event_lot_rel)")
            if self._cr.fetchone()[0]:
                return False
        if name in install_sql.INSTALL_DEFAULTS:
            # every lot there has the same value (untested, no release required):
            # a default, dropped at once; new rows get the ORM's value
            for statement in install_sql.column_with_default_sql(name, field.column_type[1]):
                self._cr.execute(statement, (install_sql.INSTALL_DEFAULTS[name],))
        else:
            tools.create_column(self._cr, self._table, name, field.column_type[1])
        return True

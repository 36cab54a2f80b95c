# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models, tools


class SerialGenealogyEdge(models.Model):
    """A new link table is filled from the consumption already recorded
    (``models/serial_install.py``), and its kept closure after it."""

    _inherit = "serial.genealogy.edge"

    @api.model_cr_context
    def _auto_init(self):
        if not tools.table_exists(self._cr, self._table):
            self.env["serial.install"]._schedule("links")
            self.env["serial.install"]._schedule("closure")
        return super(SerialGenealogyEdge, self)._auto_init()

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class MrpUnbuild(models.Model):
    _inherit = "mrp.unbuild"

    @api.multi
    def action_unbuild(self):
        res = super(MrpUnbuild, self).action_unbuild()
        for unbuild in self.filtered(lambda u: u.mo_id and u.lot_id):
            self.env["serial.genealogy.edge"]._mark_unbuilt(unbuild)
        return res

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class MrpProductProduce(models.TransientModel):
    _inherit = "mrp.product.produce"

    @api.model
    def default_get(self, fields_list):
        res = super(MrpProductProduce, self).default_get(fields_list)
        production_id = self.env.context.get("active_id")
        # the host reads active_id as the MO in the same way
        if "lot_id" in fields_list and not res.get("lot_id") and production_id \
                and self.env.context.get("active_model", "mrp.production") == "mrp.production":
            production = self.env["mrp.production"].browse(production_id)
            lot = production._serial_next_preassigned()
            if lot:
                res["lot_id"] = lot.id
        return res

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models


class MrpProductProduce(models.TransientModel):
    _inherit = "mrp.product.produce"

    @api.multi
    def do_produce(self):
        # Refuse before the wizard touches any move line, naming the held component.
        for wizard in self:
            lots = wizard.produce_line_ids.filtered(lambda line: line.qty_done > 0)
            lots.mapped("lot_id")._serial_raise_if_blocked(
                "consume", _("consume in %s") % wizard.production_id.name)
        return super(MrpProductProduce, self).do_produce()

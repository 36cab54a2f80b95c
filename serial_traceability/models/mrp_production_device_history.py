# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Print > Device history record on a done MO: the record of every unit it built,
in one PDF."""
from odoo import _, api, models
from odoo.exceptions import UserError

from ..sql import device_history as dhr_sql


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    @api.multi
    def _device_history_lots(self):
        """The lots/serials the MOs built, in the order they were recorded; refused
        for an MO that is not done or built nothing traceable."""
        lots = self.env["stock.production.lot"]
        for production in self:
            if production.state != "done":
                raise UserError(_("%s is not done: its device history record is printed "
                                  "once it is.") % production.name)
            self.env.cr.execute(dhr_sql.PRODUCED_UNITS, {"production_id": production.id})
            lots |= lots.browse([row[0] for row in self.env.cr.fetchall()])
        if not lots:
            raise UserError(_("%s built no lot or serial number: there is no device "
                              "history record to print.") % ", ".join(self.mapped("name")))
        return lots

    @api.multi
    def action_print_device_history(self):
        self._device_history_lots()
        return self.env.ref(
            "serial_traceability.serial_device_history_production_report").report_action(self)

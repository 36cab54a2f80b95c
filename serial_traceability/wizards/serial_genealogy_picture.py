# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class SerialGenealogyPicture(models.TransientModel):
    """One drawing of a unit's genealogy (stock.production.lot._genealogy_svg), kept
    for the screen that shows it; drawn again each time the button is used."""

    _name = "serial.genealogy.picture"
    _description = "Genealogy picture of a unit"
    _rec_name = "lot_id"

    lot_id = fields.Many2one("stock.production.lot", "Unit", required=True, readonly=True)
    svg = fields.Text("Picture", readonly=True)
    grouped = fields.Boolean(
        readonly=True, help="Too many units to draw one by one: the units of one side, "
                            "level and product are one box that counts them; click it "
                            "for their list.")
    unit_count = fields.Integer("Units", readonly=True)
    customer_count = fields.Integer("Customers", readonly=True)

    @api.multi
    def name_get(self):
        return [(picture.id, _("Genealogy of %s") % picture.lot_id.name) for picture in self]

    @api.model
    def create(self, vals):
        lot = self.env["stock.production.lot"].browse(vals.get("lot_id"))
        svg, picture = lot._genealogy_svg()
        vals = dict(vals, svg=svg, grouped=picture.grouped, unit_count=len(picture.units),
                    customer_count=len(picture.customers))
        return super(SerialGenealogyPicture, self).create(vals)

    @api.multi
    def action_redraw(self):
        self.ensure_one()
        return self.lot_id.action_open_genealogy_picture()

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SerialGenerateWizardLine(models.TransientModel):
    _name = "serial.generate.wizard.line"
    _description = "Receipt line to number"

    wizard_id = fields.Many2one("serial.generate.wizard", required=True, ondelete="cascade")
    move_id = fields.Many2one("stock.move", "Receipt line", required=True, readonly=True)
    # plain copies, not related fields: a related field would write through to the move
    product_id = fields.Many2one("product.product", "Product", readonly=True)
    tracking = fields.Selection([("serial", "By unique serial number"), ("lot", "By lots")],
                                readonly=True)
    quantity = fields.Integer(
        "New numbers", readonly=True,
        help="Serial-tracked: one number per unit still without one. Lot-tracked: one lot.")
    vendor_codes = fields.Text(
        "Vendor numbers",
        help="Optional: the supplier's own serial numbers, one per line in unit order "
             "(type or scan them; from a GS1 barcode the serial (21) or lot (10) is "
             "kept), or the supplier's lot for a lot-tracked product.")

    @api.multi
    def _vendor_code_list(self):
        self.ensure_one()
        Lot = self.env["stock.production.lot"]
        codes = [Lot._serial_vendor_code(line, self.move_id.product_id.tracking)
                 for line in (self.vendor_codes or "").splitlines()]
        codes = [c for c in codes if c]
        if codes and len(codes) != self.quantity:
            raise UserError(_("%(product)s: %(given)d vendor numbers for %(count)d new "
                              "numbers; give one per new number, or none.") % {
                "product": self.move_id.product_id.display_name, "given": len(codes),
                "count": self.quantity})
        if len(set(codes)) != len(codes) and self.move_id.product_id.tracking == "serial":
            raise UserError(_("%s: a vendor serial number is listed twice.")
                            % self.move_id.product_id.display_name)
        return codes

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The "Generate serials" button of a receipt.

One wizard line per receipt line (move), never per unit, so the form stays small on a
10,000-unit receipt; the numbers are made and put on the operations in bulk
(see ``stock.production.lot._serial_generate`` and ``stock.picking._serial_fill_move``).
"""
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape


class SerialGenerateWizard(models.TransientModel):
    _name = "serial.generate.wizard"
    _description = "Generate serial/lot numbers for a receipt"

    picking_id = fields.Many2one("stock.picking", "Receipt", required=True, readonly=True)
    line_ids = fields.One2many("serial.generate.wizard.line", "wizard_id", "To number")
    print_labels = fields.Boolean(
        "Print labels", default=True, help="Print a label for every new number afterwards.")
    preview = fields.Char("Next numbers", compute="_compute_preview")

    @api.model
    def default_get(self, fields_list):
        res = super(SerialGenerateWizard, self).default_get(fields_list)
        picking = self.env["stock.picking"].browse(res.get("picking_id"))
        if picking and "line_ids" in fields_list:
            picking._serial_check_can_generate()
            res["line_ids"] = [(0, 0, {"move_id": move.id, "quantity": count,
                                       "product_id": move.product_id.id,
                                       "tracking": move.product_id.tracking})
                               for move, count in picking._serial_moves_to_number() if count]
        return res

    @api.depends("line_ids")
    def _compute_preview(self):
        for wizard in self:
            previews = []
            for line in wizard.line_ids.filtered("product_id"):
                template = line.product_id.product_tmpl_id
                previews.append("%s: %s" % (line.product_id.display_name,
                                            template.serial_pattern_preview or ""))
            wizard.preview = "; ".join(previews)

    @api.multi
    def action_generate(self):
        self.ensure_one()
        picking = self.picking_id
        picking._serial_check_can_generate()
        if picking.state == "draft":
            picking.action_confirm()
        # what still needs a number now, not when the wizard opened
        todo = dict((move.id, count) for move, count in picking._serial_moves_to_number())
        Lot = self.env["stock.production.lot"]
        new_lots = Lot
        for line in self.line_ids.filtered("quantity"):
            if todo.get(line.move_id.id, 0) != line.quantity:
                raise UserError(_("%s changed since this window opened; open it again.")
                                % picking.name)
            codes = line._vendor_code_list()
            lots = Lot._serial_generate(
                line.move_id.product_id, line.quantity, company=picking.company_id,
                warehouse=picking.picking_type_id.warehouse_id, vendor_codes=codes or None,
                recompute=False)
            picking._serial_fill_move(line.move_id, lots)
            new_lots |= lots
        # one pass for what the new lots and the filled lines changed
        Lot.recompute()
        if not new_lots:
            raise UserError(_("Every tracked line of %s already has its numbers.")
                            % picking.name)
        picking.message_post(body=_(
            "%(count)d lot/serial number(s) generated: %(first)s to %(last)s.") % {
                "count": len(new_lots), "first": html_escape(new_lots[0].name),
                "last": html_escape(new_lots[-1].name)})
        # Closing the dialog reloads the transfer behind it (the button's on_close):
        # the labels' PDF downloads, then the dialog closes (static/src/js).
        if self.print_labels:
            action = self.env.ref(
                "serial_traceability.serial_label_thermal_report").report_action(new_lots)
            action["close_on_report_download"] = True
            return action
        return {"type": "ir.actions.act_window_close"}

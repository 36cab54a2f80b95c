# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Serials at production release: an MO of a product marked "pre-assign" gets its
finished serials (or its one lot) when it is confirmed, which in Odoo 11 is when it is
created. The produce wizard then proposes them in order. They stay linked to their MO:
after a cancellation they show as unused and no other MO proposes them."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round, html_escape

from .serial_actions import window_action


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    serial_preassigned_lot_ids = fields.One2many(
        "stock.production.lot", "preassigned_production_id", "Pre-assigned serials",
        readonly=True)
    serial_preassigned_count = fields.Integer(compute="_compute_serial_preassigned_count")
    serial_unused_count = fields.Integer(compute="_compute_serial_preassigned_count")

    @api.depends("serial_preassigned_lot_ids")
    def _compute_serial_preassigned_count(self):
        for production in self:
            lots = production.serial_preassigned_lot_ids
            production.serial_preassigned_count = len(lots)
            production.serial_unused_count = len(production._serial_unused_lots())

    @api.multi
    def _serial_unused_lots(self):
        self.ensure_one()
        lots = self.serial_preassigned_lot_ids.filtered(
            lambda lot: lot.product_id == self.product_id)
        used = self.env["stock.production.lot"]._serial_used_ids(lots.ids) if lots else set()
        return lots.filtered(lambda lot: lot.id not in used).sorted("id")

    @api.multi
    def _serial_next_preassigned(self):
        """The first pre-assigned serial of this MO not produced yet, in number order."""
        return self._serial_unused_lots()[:1]

    @api.multi
    def _serial_preassign(self):
        """Create the pre-assigned serials this MO still lacks (one lot when lot-tracked)."""
        Lot = self.env["stock.production.lot"]
        for production in self:
            product = production.product_id
            if not product.serial_preassign_mo or product.tracking == "none" \
                    or production.state in ("done", "cancel"):
                continue
            have = len(production.serial_preassigned_lot_ids.filtered(
                lambda lot, p=product: lot.product_id == p))
            if product.tracking == "serial":
                units = production.product_uom_id._compute_quantity(
                    production.product_qty, product.uom_id)
                need = int(float_round(units, precision_digits=0, rounding_method="UP")) - have
            else:
                need = 0 if have else 1
            if need > 0:
                Lot._serial_generate(
                    product, need, company=production.company_id,
                    warehouse=production.picking_type_id.warehouse_id,
                    extra={"preassigned_production_id": production.id})
                production.invalidate_cache(["serial_preassigned_lot_ids"])

    @api.multi
    def _generate_moves(self):
        res = super(MrpProduction, self)._generate_moves()
        self._serial_preassign()
        return res

    @api.multi
    def write(self, vals):
        res = super(MrpProduction, self).write(vals)
        if "product_qty" in vals:
            # the host's "update quantity" wizard writes it: top the serials up
            self._serial_preassign()
        return res

    @api.multi
    def action_serial_preassign(self):
        for production in self:
            if production.state in ("done", "cancel"):
                raise UserError(_("%(name)s is %(state)s: it needs no more serials.")
                                % {"name": production.name, "state": production.state})
            if not production.product_id.serial_preassign_mo:
                raise UserError(_("%s is not set to pre-assign serials at MO confirmation "
                                  "(see its Inventory tab).")
                                % production.product_id.display_name)
        self._serial_preassign()
        return True

    @api.multi
    def action_cancel(self):
        res = super(MrpProduction, self).action_cancel()
        for production in self:
            unused = production._serial_unused_lots()
            if unused:
                production.message_post(body=_(
                    "%(count)d pre-assigned serial(s) were not produced and stay with this "
                    "order, unused: %(names)s") % {
                        "count": len(unused),
                        "names": html_escape(", ".join(unused.mapped("name")[:20]))})
        return res

    @api.multi
    def action_view_preassigned_serials(self):
        self.ensure_one()
        return window_action(self.env, "stock.action_production_lot_form",
                             _("Serials pre-assigned to %s") % self.name,
                             domain=[("preassigned_production_id", "=", self.id)],
                             context={"search_default_serial_unused": 1})

    # -- labels -------------------------------------------------------------------
    @api.multi
    def _serial_label_lots(self):
        """Pre-assigned and produced lots/serials of these MOs, in number order."""
        lots = self.mapped("serial_preassigned_lot_ids") | self.mapped(
            "move_finished_ids.move_line_ids.lot_id")
        return lots.sorted("id")

    @api.multi
    def action_print_serial_labels(self):
        return self.env["serial.label"].print_for(self._serial_label_lots(), self)

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero, html_escape


class SerialRecallScan(models.TransientModel):
    """Scan units that came back (at the service desk, in a returns crate): each
    scan names a unit of the campaign; confirming marks them recovered. A lot of a
    lot-tracked product may come back in part: its scan adds a row per customer
    still holding some of it, where the quantity returned is entered (the lot's
    unit); confirming returns that quantity through the host."""

    _name = "serial.recall.scan"
    _inherit = ["serial.recall.dialog.mixin"]
    _description = "Record recovered units of a recall"

    recall_id = fields.Many2one("serial.recall", "Recall", required=True, readonly=True,
                                ondelete="cascade")
    lot_ids = fields.Many2many("stock.production.lot", "serial_recall_scan_lot_rel",
                               "scan_id", "lot_id", "Units recovered")
    qty_line_ids = fields.One2many("serial.recall.scan.qty", "scan_id",
                                   "Quantities returned (lot-tracked products)")

    @api.model
    def _manager_refusal(self):
        return _("Only a Quality Manager may record recovered units.")

    @api.multi
    def _scan(self, code):
        """Add the unit ``code`` names if it is one of the campaign's units."""
        message, lots = None, None
        try:
            lots = self._lots_from_scan(code)
        except UserError as exc:
            message = exc.name
        if lots:
            lines = self.env["serial.recall.line"].search([
                ("recall_id", "=", self.recall_id.id), ("lot_id", "in", lots.ids)])
            to_recover = lines.filtered(
                lambda l: l.action == "retrieve" or l.at_customer).mapped("lot_id")
            by_qty = to_recover.filtered(lambda l: l.product_id.tracking == "lot")
            to_recover -= by_qty
            if by_qty:
                message = self._add_qty_lines(by_qty)
            if to_recover:
                self.lot_ids |= to_recover
                message = _("%s: recovered when you confirm.") % ", ".join(
                    to_recover.mapped("name"))
            elif by_qty:
                pass
            elif lines:
                message = _("%(units)s is in recall %(recall)s but was not at a customer: "
                            "there is nothing to recover.") % {
                                "units": ", ".join(lots.mapped("name")),
                                "recall": self.recall_id.name}
                lots = None
            else:
                message = _("%(units)s is not part of recall %(recall)s.") % {
                    "units": ", ".join(lots.mapped("name")), "recall": self.recall_id.name}
                lots = None
        elif message is None:
            message = _("Nothing found for %s.") % code.strip()
        self.scan_message = message
        if not lots:
            return {"warning": {"title": _("Scan"), "message": message}}

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        self._check_manager()
        if not (self.lot_ids or self.qty_line_ids):
            raise UserError(_("Scan at least one returned unit."))
        recall = self.recall_id
        recall._check_state("open")
        if self.qty_line_ids:
            # every quantity checked before anything moves
            recall._check_lot_returns([(row.lot_id, row.partner_id, row.quantity)
                                       for row in self.qty_line_ids])
            self._confirm_quantities()
            if not self.lot_ids:
                return {"type": "ir.actions.act_window_close"}
        pending = self.env["serial.recall.line"].search([
            ("recall_id", "=", recall.id), ("lot_id", "in", self.lot_ids.ids),
            ("recovered", "=", False)]).mapped("lot_id")
        if not pending:
            raise UserError(_("These units were recorded as recovered already."))
        # Units still at a customer come back through the host's return of their
        # delivery, into quarantine (its validation marks them recovered); a drill
        # moves nothing.
        returned = pending.browse()
        if not recall.drill:
            _pickings, returned = recall._return_from_customers(pending)
        recall._recover_lots(pending - returned)
        return {"type": "ir.actions.act_window_close"}

    @api.multi
    def _add_qty_lines(self, lots):
        """A row per customer still holding part of each lot of ``lots`` (quantity
        proposed: all they hold); returns the scan's message."""
        Recall = self.env["serial.recall"]
        present = set((r.lot_id.id, r.partner_id.id) for r in self.qty_line_ids)
        rows = []
        for lot in lots:
            for partner_id, left in sorted(Recall._lot_at_customers(lot).items()):
                if (lot.id, partner_id) not in present:
                    rows.append({"lot_id": lot.id, "partner_id": partner_id,
                                 "outstanding_qty": left, "quantity": left})
        if isinstance(self.id, models.NewId):
            for vals in rows:
                self.qty_line_ids |= self.qty_line_ids.new(vals)
        elif rows:
            self.write({"qty_line_ids": [(0, 0, vals) for vals in rows]})
        if not rows and not any(r.lot_id in lots for r in self.qty_line_ids):
            return _("%s: nothing of it is at a customer any more.") % ", ".join(
                lots.mapped("name"))
        return _("%s: enter the quantity each customer returned, then confirm.") % (
            ", ".join(lots.mapped("name")))

    @api.multi
    def _confirm_quantities(self):
        """Return the quantities of the rows through the host (a drill moves
        nothing); a lot with nothing left at customers is recovered."""
        recall = self.recall_id
        lots = self.qty_line_ids.mapped("lot_id")
        notes = []
        for row in self.qty_line_ids:
            uom = row.lot_id.product_id.uom_id
            pickings = recall.browse()
            if not recall.drill:
                pickings = recall._return_lot_quantity(row.lot_id, row.partner_id,
                                                       row.quantity)
            notes.append(_("%(qty)s %(uom)s of %(lot)s from %(partner)s%(returns)s") % {
                "qty": "%g" % row.quantity, "uom": uom.name, "lot": row.lot_id.name,
                "partner": row.partner_id.display_name,
                "returns": pickings and " (%s)" % ", ".join(pickings.mapped("name")) or ""})
        if recall.drill:
            # nothing moves: a lot whose every customer quantity is declared back
            # counts as recovered
            full = lots.filtered(lambda lot: all(
                float_is_zero(left - sum(r.quantity for r in self.qty_line_ids
                                         if r.lot_id == lot and r.partner_id.id == pid),
                              precision_rounding=lot.product_id.uom_id.rounding)
                for pid, left in recall._lot_at_customers(lot).items()))
            recall._recover_lots(full)
        recall.message_post(body=_("Returned: %s.") % html_escape("; ".join(notes)))


class SerialRecallScanQty(models.TransientModel):
    """Part of a lot-tracked lot back from one customer, in the lot's unit."""

    _name = "serial.recall.scan.qty"
    _description = "Record returns: quantity of a lot back from a customer"

    scan_id = fields.Many2one("serial.recall.scan", required=True, ondelete="cascade")
    lot_id = fields.Many2one("stock.production.lot", "Lot", required=True)
    partner_id = fields.Many2one("res.partner", "Customer", required=True)
    outstanding_qty = fields.Float("At the customer", digits=(16, 3),
                                   help="Shipped to this customer and not yet returned.")
    quantity = fields.Float("Returned", digits=(16, 3))
    uom_id = fields.Many2one(related="lot_id.product_id.uom_id", readonly=True,
                             string="Unit")

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A campaign's state that stays true after it is created (issue 18).

- Its lines say where each unit is now: every done stock move of a unit listed by a
  draft or open campaign re-reads the unit as the scope reads it
  (``sql/recall_scope.py``, ``refresh_lines_sql``) -- after quarantine, a return, a
  re-shipment, a scrap.
- *Record returns* brings the units back through the host's return of their
  delivery, into the warehouse's quarantine: stock and campaign agree.
- Closing with units still at customers takes a reason, signed with the closing.
- Starting a recall of lots already in an open campaign says so.
"""
from collections import OrderedDict

from odoo import _, api, models
from odoo.exceptions import UserError

from ..sql import recall_scope as recall_sql

# Campaigns whose lines still follow their units.
LIVE_STATES = ("draft", "open")


class SerialRecall(models.Model):
    _inherit = "serial.recall"

    # -- where the units are now ----------------------------------------------------
    @api.model
    def _live_recalls_of_lots(self, lot_ids, states=LIVE_STATES):
        """Ids of the campaigns in ``states`` listing one of ``lot_ids`` (one indexed
        query, no access check: callers decide what to show)."""
        if not lot_ids:
            return []
        self.env.cr.execute("""
            SELECT DISTINCT l.recall_id FROM serial_recall_line l
              JOIN serial_recall r ON r.id = l.recall_id
             WHERE l.lot_id = ANY(%s) AND r.state IN %s
        """, (list(lot_ids), tuple(states)))
        return [row[0] for row in self.env.cr.fetchall()]

    @api.multi
    def _refresh_lines(self, lots=None):
        """Re-read where the units ``lots`` (all the campaign's units when None) are
        now, in the lines of these draft or open campaigns; counters follow."""
        recalls = self.filtered(lambda r: r.state in LIVE_STATES)
        if not recalls:
            return 0
        if lots is None:
            self.env.cr.execute("SELECT DISTINCT lot_id FROM serial_recall_line"
                                " WHERE recall_id = ANY(%s)", (recalls.ids,))
            lot_ids = [row[0] for row in self.env.cr.fetchall()]
        else:
            lot_ids = lots.ids
        if not lot_ids:
            return 0
        self.env.cr.execute("SELECT array_agg(id) FROM res_company")
        params = {
            "lot_ids": lot_ids, "recall_ids": recalls.ids,
            # a unit's whereabouts do not depend on who asks
            "company_ids": self.env.cr.fetchone()[0],
            "include_suspect_stock": True, "include_wip": True, "include_shipped": True,
            "keep_used": True,
        }
        changed = self._run_scope(recall_sql.refresh_lines_sql(), params)
        if changed:
            recalls._recompute_from_lines()
            self.env["serial.recall.line"].invalidate_cache()
        return changed

    @api.model
    def _refresh_lots(self, lots):
        """Done moves of ``lots``: bring every live campaign listing them up to date."""
        recall_ids = self._live_recalls_of_lots(lots.ids)
        if recall_ids:
            self.sudo().browse(recall_ids)._refresh_lines(lots)

    # -- closing -----------------------------------------------------------------------
    @api.multi
    def _check_closing_reason(self):
        for recall in self:
            if recall.to_recover_count and not (recall.closing_note or "").strip():
                raise UserError(_(
                    "%(count)d units of %(name)s are still at customers: say why the "
                    "campaign closes anyway (button \"Close (sign)\").") % {
                        "count": recall.to_recover_count, "name": recall.name})

    @api.multi
    def _action_ask_closing_reason(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Close %s with units at customers") % self.name,
            "res_model": "serial.recall.close",
            "view_mode": "form",
            "target": "new",
            "context": {"default_recall_id": self.id,
                        "default_reason": self.closing_note or False},
        }

    @api.multi
    def _closing_signature(self):
        """The signature that closed the campaign (the report's signature block)."""
        self.ensure_one()
        return self.signature_ids.filtered(lambda s: s.meaning != "review").sorted(
            "signed_at")[-1:]

    # -- recovery through the host's returns ------------------------------------------
    @api.multi
    def _return_from_customers(self, lots):
        """Bring back ``lots`` that are at a customer through the host's return of
        their last delivery, into the delivering warehouse's quarantine, validated.
        Returns (return pickings, lots returned); lots not at a customer are left."""
        self.ensure_one()
        by_delivery = OrderedDict()
        for lot in lots:
            delivery = lot.delivery_picking_id
            if (delivery and delivery.state == "done"
                    and lot.current_location_id.usage == "customer"):
                by_delivery.setdefault(delivery, self.env["stock.production.lot"])
                by_delivery[delivery] |= lot
        pickings = self.env["stock.picking"]
        returned = self.env["stock.production.lot"]
        for delivery, delivered in by_delivery.items():
            pickings |= self._return_delivery(delivery, delivered)
            returned |= delivered
        return pickings, returned

    @api.multi
    def _return_delivery(self, delivery, lots):
        """One host return (``stock.return.picking``) of ``lots`` from ``delivery``
        into quarantine, with exactly their lots and quantities, validated."""
        sent = delivery.move_line_ids.filtered(
            lambda ml: ml.state == "done" and ml.lot_id in lots)
        warehouse = delivery.picking_type_id.warehouse_id or \
            delivery.location_id.get_warehouse()
        quarantine = self._quarantine_location(warehouse)
        wizard = self.env["stock.return.picking"].with_context(
            active_id=delivery.id, active_ids=delivery.ids, active_model="stock.picking"
        ).create({"location_id": quarantine.id})
        for ret_line in wizard.product_return_moves:
            ret_line.quantity = sum(
                ml.product_uom_id._compute_quantity(ml.qty_done, ml.move_id.product_uom)
                for ml in sent if ml.move_id == ret_line.move_id)
        picking = self.env["stock.picking"].browse(wizard._create_returns()[0])
        picking.write({"origin": "%s (%s)" % (picking.origin or "", self.name)})
        picking.move_line_ids.unlink()
        for move in picking.move_lines:
            for ml in sent.filtered(lambda l, m=move: l.move_id in m.origin_returned_move_id):
                self.env["stock.move.line"].create({
                    "move_id": move.id, "picking_id": picking.id,
                    "product_id": ml.product_id.id, "product_uom_id": ml.product_uom_id.id,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                    "lot_id": ml.lot_id.id, "qty_done": ml.qty_done})
        picking.button_validate()
        if picking.state != "done":
            raise UserError(_("The return %s could not be validated.") % picking.name)
        return picking

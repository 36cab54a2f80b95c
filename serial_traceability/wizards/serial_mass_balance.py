# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

SECTIONS = [
    ("received", "Received from supplier"),
    ("consumed", "Consumed into"),
    ("shipped", "Shipped to"),
    ("returned", "Returned by"),
    ("stock", "In stock at"),
    ("quarantine", "In quarantine at"),
    ("gap", "Gap"),
    ("output", "Contained in (all levels)"),
]
_TOTAL_FIELDS = ("received", "produced", "start", "consumed", "shipped", "returned",
                 "supplier_returned", "in_stock", "in_quarantine", "scrapped", "lost",
                 "accounted", "unaccounted", "accounted_pct")


class SerialMassBalance(models.TransientModel):
    """The mass balance of one lot as a screen: totals, then one line per
    customer, output lot, location and gap (``get_mass_balance`` underneath)."""

    _name = "serial.mass.balance"
    _description = "Mass balance of a lot"

    lot_id = fields.Many2one("stock.production.lot", "Lot/Serial", readonly=True)
    product_id = fields.Many2one(related="lot_id.product_id", readonly=True)
    uom_name = fields.Char("Unit", readonly=True)
    received = fields.Float(readonly=True)
    produced = fields.Float(readonly=True)
    start = fields.Float("Received + produced", readonly=True)
    consumed = fields.Float(readonly=True)
    shipped = fields.Float(readonly=True)
    returned = fields.Float("Returned by customers", readonly=True)
    supplier_returned = fields.Float("Returned to suppliers", readonly=True)
    in_stock = fields.Float("In stock", readonly=True)
    in_quarantine = fields.Float("of which in quarantine", readonly=True)
    scrapped = fields.Float(readonly=True)
    lost = fields.Float("Inventory losses", readonly=True)
    accounted = fields.Float("Accounted for", readonly=True)
    unaccounted = fields.Float(readonly=True)
    accounted_pct = fields.Float("% accounted for", readonly=True, digits=(16, 2))
    line_ids = fields.One2many("serial.mass.balance.line", "balance_id", "Details",
                               readonly=True)

    @api.model
    def _line_vals(self, balance):
        lines = [("received", r["partner"], r["qty"], {}) for r in
                 balance["received_by_supplier"]]
        lines += [("consumed", r["lot"], r["qty"], {"lot_id": r["lot_id"]})
                  for r in balance["consumed_by_output"]]
        lines += [("shipped", r["partner"], r["qty"], {}) for r in
                  balance["shipped_by_customer"]]
        lines += [("returned", r["partner"], r["qty"], {}) for r in
                  balance["returned_by_customer"]]
        lines += [("quarantine" if r["quarantine"] else "stock", r["location"], r["qty"],
                   {"location_id": r["location_id"]}) for r in balance["stock_by_location"]]
        lines += [("gap", "%s: %s" % (g["location"] or _("overall"), g["note"]), g["qty"],
                   {"location_id": g["location_id"]}) for g in balance["gaps"]]
        lines += [("output", r["lot"], r["qty"], {"lot_id": r["lot_id"], "depth": r["depth"]})
                  for r in balance["outputs"]]
        vals = []
        for seq, (section, name, qty, extra) in enumerate(lines):
            line = {"sequence": seq, "section": section, "name": name, "qty": qty}
            line.update(extra)
            vals.append((0, 0, line))
        return vals

    @api.model
    def open_for(self, lot):
        balance = lot.get_mass_balance()
        vals = {name: balance[name] for name in _TOTAL_FIELDS}
        vals.update(lot_id=lot.id, uom_name=balance["uom"], line_ids=self._line_vals(balance))
        wizard = self.create(vals)
        return {"type": "ir.actions.act_window", "res_model": self._name,
                "res_id": wizard.id, "view_mode": "form", "target": "new",
                "name": _("Mass balance of %s") % lot.display_name}


class SerialMassBalanceLine(models.TransientModel):
    _name = "serial.mass.balance.line"
    _description = "Mass balance detail"
    _order = "sequence, id"

    balance_id = fields.Many2one("serial.mass.balance", required=True, ondelete="cascade")
    sequence = fields.Integer()
    section = fields.Selection(SECTIONS, required=True, readonly=True)
    name = fields.Char("Where", readonly=True)
    lot_id = fields.Many2one("stock.production.lot", "Lot/Serial", readonly=True)
    location_id = fields.Many2one("stock.location", "Location", readonly=True)
    depth = fields.Integer("Level", readonly=True)
    qty = fields.Float("Quantity", readonly=True)

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The mass balance of a recall's suspect lots, on its form and in its report."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

# A campaign on many suspect serials shows the first ones; the lot form has each.
MAX_LOTS = 20
_ROWS = (("start", "Received + produced"), ("consumed", "Consumed"), ("shipped", "Shipped"),
         ("returned", "Returned by customers"), ("supplier_returned", "Returned to suppliers"),
         ("in_stock", "In stock"), ("in_quarantine", "of which in quarantine"),
         ("scrapped", "Scrapped"), ("lost", "Inventory losses"),
         ("unaccounted", "Unaccounted"))


def balance_html(balance):
    """One suspect lot's balance as an HTML table (escaped)."""
    esc = html_escape
    uom = balance["uom"]

    def qty(value):
        return "%s %s" % (esc("%g" % value), esc(uom))

    parts = ['<div class="o_serial_mass_balance">',
             "<h4>%s <small>%s</small></h4>" % (esc(balance["lot"]), esc(balance["product"])),
             '<table class="table table-condensed"><tbody>']
    parts += ["<tr><th>%s</th><td>%s</td></tr>" % (esc(_(label)), qty(balance[key]))
              for key, label in _ROWS if balance[key] or key in ("start", "unaccounted")]
    parts.append("<tr><th>%s</th><td><strong>%s %%</strong></td></tr>" % (
        esc(_("Accounted for")), esc("%g" % balance["accounted_pct"])))
    parts.append("</tbody></table>")
    details = [(_("Consumed into"), [(r["lot"], r["qty"]) for r in balance["consumed_by_output"]]),
               (_("Shipped to"), [(r["partner"], r["qty"])
                                  for r in balance["shipped_by_customer"]]),
               (_("In stock at"), [("%s%s" % (r["location"], r["quarantine"] and " *" or ""),
                                    r["qty"]) for r in balance["stock_by_location"]]),
               (_("Gaps"), [("%s: %s" % (g["location"] or _("overall"), g["note"]), g["qty"])
                            for g in balance["gaps"]])]
    for title, rows in details:
        if rows:
            parts.append("<p><em>%s</em> %s</p>" % (esc(title), esc("; ".join(
                "%s (%g %s)" % (name, value, uom) for name, value in rows))))
    parts.append("</div>")
    return "".join(parts)


class SerialRecall(models.Model):
    _inherit = "serial.recall"

    mass_balance_html = fields.Html("Mass balance", compute="_compute_mass_balance_html",
                                    sanitize=False)

    @api.multi
    def _compute_mass_balance_html(self):
        for recall in self:
            parts = []
            lots = recall.suspect_lot_ids
            # who may read the campaign may read its balance (an auditor has no stock
            # rights): the lots' quantities are read for them
            for lot in lots[:MAX_LOTS].sudo():
                try:
                    parts.append(balance_html(lot._mass_balance(outputs=False)))
                except UserError as exc:
                    parts.append("<p>%s: %s</p>" % (html_escape(lot.name),
                                                    html_escape(exc.name)))
            if len(lots) > MAX_LOTS:
                parts.append("<p>%s</p>" % html_escape(
                    _("... and %d more suspect lots: see each lot's mass balance.")
                    % (len(lots) - MAX_LOTS)))
            recall.mass_balance_html = "".join(parts)

    @api.multi
    def mass_balances(self):
        """The balance of each suspect lot (dicts of ``get_mass_balance``)."""
        self.ensure_one()
        return [lot._mass_balance() for lot in self.suspect_lot_ids[:MAX_LOTS]]

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The serials typed on a receipt's lines, created in bulk (issue 19, item 2).

On *Validate*, the host's ``stock.move.line._action_done`` creates the lot of each
line that has a typed number (``lot_name``) and no lot, one ``create`` and one
``write`` of the line per serial (about 150 ms each with the addon's stored fields,
audit entry and chatter). For a batch of lines (``stock_move_line_done_batch.py``)
those lots are made beforehand by the serial generation's insert
(``_serial_bulk_create``: the same columns, computed values and audit entries; no
"created" chatter message, as for generated serials) and the lines get them in one
statement; the host then finds every line with its lot. A number already used, or
typed twice in the transfer, is refused before anything is written.
"""
from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _typed_lot_lines(self):
        """The lines whose lot the host's ``_action_done`` would create."""
        return self.filtered(lambda ml: (
            ml.lot_name and not ml.lot_id and ml.product_id.tracking != "none"
            and ml.move_id.picking_type_id.use_create_lots
            and float_compare(ml.qty_done, 0, precision_rounding=ml.product_uom_id.rounding) > 0))

    def _serial_create_typed_lots(self):
        """Create the typed lots of these lines in bulk and set them on the lines."""
        lines = self._typed_lot_lines()
        if not lines or any(self._serial_line_kind(ml.location_dest_id, ml.move_id)
                            for ml in lines):
            return  # a control checks the lot a line gets: left to the host, line by line
        Lot = self.env["stock.production.lot"]
        groups, companies = {}, {}
        for ml in lines:
            product = ml.product_id
            if product not in companies:
                companies[product] = Lot._serial_default_company(product)
            groups.setdefault((product, companies[product]), []).append(ml)
        existing = {key: Lot._serial_existing(key[0].id, key[1].id,
                                              {ml.lot_name for ml in mls})
                    for key, mls in groups.items()}
        seen = set()
        for ml in lines:  # the first refused line, in the host's order
            key = (ml.product_id, companies[ml.product_id])
            if ml.lot_name in existing[key]:
                Lot._serial_check_free(key[0], key[1], [ml.lot_name])
            if (key, ml.lot_name) in seen:
                raise UserError(_(
                    'Serial/lot number "%(name)s" is entered twice for product "%(product)s" '
                    'in %(transfer)s. A number can be used only once per product and '
                    'company.') % {"name": ml.lot_name, "product": key[0].display_name,
                                   "transfer": ml.reference or ml.move_id.name})
            seen.add((key, ml.lot_name))
        for (product, company), mls in groups.items():
            lots = Lot._serial_bulk_create(product, [ml.lot_name for ml in mls], company)
            self.env.cr.execute(
                "UPDATE stock_move_line ml SET lot_id = v.lot_id, write_uid = %s, "
                "write_date = (now() at time zone 'UTC') FROM (VALUES "
                + ", ".join(["(%s::int, %s::int)"] * len(mls))
                + ") AS v(id, lot_id) WHERE ml.id = v.id",
                [self.env.uid] + [x for ml, lot in zip(mls, lots) for x in (ml.id, lot.id)])
            written = self.browse([ml.id for ml in mls])
            written.invalidate_cache(["lot_id"])
            written.modified(["lot_id"])

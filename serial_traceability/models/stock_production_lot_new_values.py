# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a brand-new lot's stored computed fields hold, known without computing them.

A lot inserted in bulk (``_serial_bulk_create``: generated serials) has no move, no
quality event, no hold and no release yet, so each feature knows the value of its
stored computed field on it: the rows are inserted with these values and the ORM's
per-lot recompute of those fields is skipped (issue 19, item 4: on a 10,000-unit
receipt it was most of the numbering time). Each feature adds its fields by
overriding ``_serial_new_lot_values``; a stored computed field not listed there is
still recomputed by the ORM. Loaded before the features that extend it.
"""
from odoo import api, models

# stock_move_line_entry.HOST_PATH_KEY (not imported: the import order of models
# is their order of inheritance)
HOST_PATH_KEY = "serial_traceability_host_path"


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    @api.model
    def _serial_new_lot_values(self, product):
        """{stored computed field: value} of a new lot of ``product`` that has no
        move, event, hold or release; fields whose value is not known are left out.
        Here: the stored related fields through the product (the host's unit)."""
        values = {}
        for name, field in self._fields.items():
            if field.store and field.related and field.related[0] == "product_id" \
                    and field.type not in ("one2many", "many2many"):
                value = product.sudo() if field.related_sudo else product
                for part in field.related[1:]:
                    value = value[part]
                values[name] = field.convert_to_write(value, self)
        return values

    @api.model
    def _serial_known_values(self, product, given):
        """The stored computed fields of new lots of ``product`` inserted with their
        value (``_serial_new_lot_values``), unless the rows give one of what they
        depend on besides the product; none on the host's path (the ORM computes
        every one, as before issue 19)."""
        if self._context.get(HOST_PATH_KEY):
            return {}
        values = self._serial_new_lot_values(product)
        return {name: value for name, value in values.items()
                if not any(dep.split(".")[0] in given - {"product_id"}
                           for dep in self._fields[name].depends)}

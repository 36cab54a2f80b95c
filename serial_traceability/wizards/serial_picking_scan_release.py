# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models

from ..models.serial_scan_mixin import ScanRefused


class SerialPickingScan(models.TransientModel):
    """A unit awaiting release is refused when scanned into a delivery to a customer,
    with the reason, before the scan fills in a line the delivery gate would refuse
    (models/stock_move_line_release.py)."""

    _inherit = "serial.picking.scan"

    def _scan_check_unit(self, product, lot, name, moves):
        warning = super(SerialPickingScan, self)._scan_check_unit(product, lot, name, moves)
        if lot and self.picking_id.location_dest_id.usage == "customer" \
                and lot.sudo().release_state == "pending":
            raise ScanRefused(_("%(unit)s of %(product)s has not been released for "
                                "distribution: a Quality Manager releases it before it "
                                "ships.") % {"unit": lot.name, "product": product.display_name})
        return warning

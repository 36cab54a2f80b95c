# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Quants emptied while many lines are processed, deleted once at the end
(``stock_move_line_done_batch.py``)."""
from odoo import models

BATCH_KEY = "serial_quant_batch"


class QuantBatch(object):
    """The quants a batch of lines emptied. Only code of this process can put one in
    a context: an RPC context decodes to dicts, lists and scalars."""

    def __init__(self):
        self.open = True
        self.emptied = set()

    def close(self, Quant):
        """Delete the emptied quants (one ``unlink``: one cache invalidation)."""
        self.open = False
        if self.emptied:
            Quant.sudo().browse(sorted(self.emptied)).exists().unlink()


def quant_batch(records):
    """The open :class:`QuantBatch` of ``records``' context, or None."""
    batch = records.env.context.get(BATCH_KEY)
    return batch if isinstance(batch, QuantBatch) and batch.open else None


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _gather(self, product_id, location_id, lot_id=None, package_id=None, owner_id=None,
                strict=False):
        quants = super(StockQuant, self)._gather(
            product_id, location_id, lot_id=lot_id, package_id=package_id, owner_id=owner_id,
            strict=strict)
        batch = quant_batch(self)
        if batch and batch.emptied:
            quants = quants.filtered(lambda quant: quant.id not in batch.emptied)
        return quants

    def unlink(self):
        batch = quant_batch(self)
        if batch:
            # the host unlinks a quant it just emptied: deleted with the others at the end
            batch.emptied.update(self.ids)
            return True
        return super(StockQuant, self).unlink()

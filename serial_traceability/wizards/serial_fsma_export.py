# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""FSMA 204 on request: the sortable spreadsheet of the critical tracking events of
chosen products (or the Food Traceability List) over a date range
(``reports/serial_fsma_xlsx.py`` writes it, ``sql/fsma.py`` reads it)."""
import datetime

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..sql import fsma as fsma_sql

TRACE_GROUP = "serial_traceability.group_traceability_user"


class SerialFsmaExportWizard(models.TransientModel):
    _name = "serial.fsma.export.wizard"
    _description = "FSMA 204 export"

    food_traceability_list = fields.Boolean(
        "All Food Traceability List products",
        help="Every product whose template is flagged 'Food Traceability List'.")
    product_ids = fields.Many2many(
        "product.product", "serial_fsma_export_product_rel", "wizard_id", "product_id",
        "Products")
    lot_ids = fields.Many2many(
        "stock.production.lot", "serial_fsma_export_lot_rel", "wizard_id", "lot_id",
        "Traceability lot codes",
        help="Only these lots; empty: every lot of the products.")
    date_from = fields.Date("From", required=True,
                            default=lambda self: fields.Date.to_string(
                                datetime.date.today() - datetime.timedelta(days=30)))
    date_to = fields.Date("To (included)", required=True, default=fields.Date.context_today)

    @api.model
    def _check_user(self):
        if not self.env.user.has_group(TRACE_GROUP):
            raise AccessError(_("Only a Traceability User may export FSMA 204 records."))

    @api.multi
    def _products(self):
        self.ensure_one()
        products = self.product_ids | self.lot_ids.mapped("product_id")
        if self.food_traceability_list:
            flagged = self.env["product.product"].search(
                [("fsma_food_traceability", "=", True)])
            if not flagged:
                raise UserError(_("No product is flagged 'Food Traceability List'."))
            products |= flagged
        return products

    @api.multi
    def _query_params(self):
        """The parameters of ``sql/fsma.py``; refuses what cannot be exported."""
        self.ensure_one()
        self._check_user()
        if not (self.date_from and self.date_to):
            raise UserError(_("Choose the first and last day of the export."))
        if self.date_from > self.date_to:
            raise UserError(_("The first day (%(first)s) is after the last day (%(last)s).")
                            % {"first": self.date_from, "last": self.date_to})
        products = self._products()
        if not products:
            raise UserError(_("Choose products, traceability lot codes or the Food "
                              "Traceability List."))
        date_to = fields.Date.from_string(self.date_to) + datetime.timedelta(days=1)
        return {
            "company_ids": self.env.user.company_ids.ids,
            "product_ids": products.ids,
            "lot_ids": self.lot_ids.ids or None,
            "date_from": fields.Date.from_string(self.date_from),
            "date_to": date_to,
        }

    @api.multi
    def action_export(self):
        params = self._query_params()
        self.env.cr.execute(fsma_sql.ANY_EVENT, params)
        if not self.env.cr.fetchone():
            raise UserError(_("No receiving, transformation or shipping of these products "
                              "from %(first)s to %(last)s: nothing to export.")
                            % {"first": self.date_from, "last": self.date_to})
        return self.env.ref("serial_traceability.serial_fsma_xlsx_report").report_action(self)

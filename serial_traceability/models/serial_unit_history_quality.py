# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Approved quality events and current holds in the unit history.

Drafts are left out: the history shows facts, and an event is one once approved.
An event names several units through its lot relation, so the row id combines the
event and the lot (lot ids below 2**31, event ids below 2**26) before the history's
own slot offset.

The history's company rule goes through ``location_id``; an event has no location, so
its row names the stock location of its company's first warehouse. Without it the
events' descriptions would show in other companies' histories.
"""
from odoo import api, fields, models

_EVENT_SOURCE = """
SELECT {row_id} AS id, rel.lot_id AS lot_id, q.date AS date,
       '{event_type}'::varchar AS event_type, NULL::integer AS partner_id,
       q.user_id AS user_id, q.name::varchar AS reference,
       'serial.quality.event'::varchar AS res_model, q.id AS res_id,
       q.production_id AS production_id, q.picking_id AS picking_id,
       {company_location} AS location_id, NULL::integer AS location_dest_id,
       concat_ws(' · ', initcap(replace(q.kind, '_', ' ')), q.result,
                 CASE WHEN q.kind IN ('service', 'warranty_claim', 'repair')
                      THEN CASE WHEN q.covered THEN 'under warranty'
                                ELSE 'not under warranty' END END,
                 'amends ' || orig.name,
                 left(q.description, 200))::varchar AS description
  FROM serial_quality_event q
  JOIN serial_quality_event_lot_rel rel ON rel.event_id = q.id
  LEFT JOIN serial_quality_event orig ON orig.id = q.amends_event_id
 WHERE q.state = 'done' AND q.kind {kind_test} ('service', 'warranty_claim', 'repair')
"""

_HOLD_SOURCE = """
SELECT {row_id} AS id, lot.id AS lot_id, lot.hold_date AS date,
       'hold'::varchar AS event_type, NULL::integer AS partner_id,
       lot.hold_user_id AS user_id,
       COALESCE(q.name, lot.hold_source, lot.name)::varchar AS reference,
       (CASE WHEN q.id IS NULL THEN 'stock.production.lot'
             ELSE 'serial.quality.event' END)::varchar AS res_model,
       COALESCE(q.id, lot.id) AS res_id,
       NULL::integer AS production_id, NULL::integer AS picking_id,
       {company_location} AS location_id, NULL::integer AS location_dest_id,
       left(lot.hold_reason, 250)::varchar AS description
  FROM stock_production_lot lot
  LEFT JOIN serial_quality_event q ON q.id = lot.hold_event_id
 WHERE lot.quality_hold
"""

_COMPANY_LOCATION = """(SELECT w.lot_stock_id FROM stock_warehouse w
          WHERE w.company_id = {company} ORDER BY w.id LIMIT 1)"""
EVENT_COMPANY = _COMPANY_LOCATION.format(company="q.company_id")
# A hold put without an event belongs to the company of who put it.
HOLD_COMPANY = _COMPANY_LOCATION.format(company="COALESCE(q.company_id, (SELECT u.company_id "
                                                "FROM res_users u WHERE u.id = lot.hold_user_id))")


class SerialUnitHistory(models.Model):
    _inherit = "serial.unit.history"

    event_type = fields.Selection(selection_add=[
        ("quality", "Quality event"),
        ("service", "Service / warranty"),
        ("hold", "On quality hold"),
    ])

    @api.model
    def _history_sources(self):
        pair = "rel.event_id::bigint * 2147483648 + rel.lot_id"
        return super(SerialUnitHistory, self)._history_sources() + [
            _EVENT_SOURCE.format(row_id=self._history_id(pair, 1), event_type="quality",
                                 kind_test="NOT IN", company_location=EVENT_COMPANY),
            _EVENT_SOURCE.format(row_id=self._history_id(pair, 2), event_type="service",
                                 kind_test="IN", company_location=EVENT_COMPANY),
            _HOLD_SOURCE.format(row_id=self._history_id("lot.id", 6),
                                company_location=HOLD_COMPANY),
        ]

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Label prints (slot 5) and releases for distribution (slot 7) in the unit history.

Like holds (serial_unit_history_quality.py), the rows name their company's first
stock location, which the history's company rule reads."""
from odoo import api, fields, models

from .serial_unit_history_quality import _COMPANY_LOCATION

_LABEL_SOURCE = """
SELECT {row_id} AS id, log.lot_id AS lot_id, log.printed_on AS date,
       'label'::varchar AS event_type, NULL::integer AS partner_id,
       log.user_id AS user_id, log.report_name::varchar AS reference,
       'serial.label.log'::varchar AS res_model, log.id AS res_id,
       NULL::integer AS production_id, NULL::integer AS picking_id,
       {company_location} AS location_id, NULL::integer AS location_dest_id,
       concat_ws(' · ', 'copy ' || log.copy_number,
                 CASE WHEN log.reprint THEN 'reprint' END,
                 log.element_string)::varchar AS description
  FROM serial_label_log log
"""

_RELEASE_SOURCE = """
SELECT {row_id} AS id, lot.id AS lot_id, lot.release_date AS date,
       'release'::varchar AS event_type, NULL::integer AS partner_id,
       lot.released_by_id AS user_id, mo.name::varchar AS reference,
       'serial.release'::varchar AS res_model, r.id AS res_id,
       r.production_id AS production_id, NULL::integer AS picking_id,
       {company_location} AS location_id, NULL::integer AS location_dest_id,
       concat_ws(' · ', 'Released for distribution', s.signer_name)::varchar AS description
  FROM stock_production_lot lot
  JOIN serial_release r ON r.id = lot.release_id
  LEFT JOIN mrp_production mo ON mo.id = r.production_id
  LEFT JOIN serial_signature s ON s.id = lot.release_signature_id
 WHERE lot.release_date IS NOT NULL
"""


class SerialUnitHistory(models.Model):
    _inherit = "serial.unit.history"

    event_type = fields.Selection(selection_add=[
        ("label", "Label printed"),
        ("release", "Released for distribution"),
    ])

    @api.model
    def _history_sources(self):
        return super(SerialUnitHistory, self)._history_sources() + [
            _LABEL_SOURCE.format(row_id=self._history_id("log.id", 5),
                                 company_location=_COMPANY_LOCATION.format(
                                     company="log.company_id")),
            _RELEASE_SOURCE.format(row_id=self._history_id("lot.id", 7),
                                   company_location=_COMPANY_LOCATION.format(
                                       company="r.company_id")),
        ]

"""SQL text of the device history record's content beyond the as-built walk: one
statement per part of the record, each fetching the names it prints in the same
round trip (the host's name_get done in SQL), host-free.

Every statement takes parameters only (``%(name)s``); nothing is formatted in.

- ``lang``: the user's language; a translated column (product, unit of measure,
  attribute value, country names) is read as the host's ORM reads it, the newest
  non-empty ``ir_translation`` row of that language, else the column itself.
- ``company_ids``: the user's companies, the addon's record rules (``company_id``
  empty or one of them) applied in SQL; NULL for the superuser, whom no rule binds.
"""

from .device_history import product_name_columns
from .device_history import translated as _tr

# The unit, its product, its MO (clauses a and b) and the company printing it (the
# user's current one). Few joins on purpose: for one unit,
# planning a wide join costs more than running it, a scalar sub-select is planned
# alone. Parameters: ``lot_id``, ``uid``, ``lang``.
HEAD = """
SELECT l.name AS lot_name, l.product_id, l.production_id, l.production_date,
       l.expiry_date, l.vendor_lot, pt.tracking, pp.barcode, {product},
       (SELECT {uom} FROM product_uom u WHERE u.id = pt.uom_id) AS uom_name,
       mo.name AS mo_name, mo.state AS mo_state, mo.date_planned_start, mo.date_start,
       mo.date_finished, mo.product_qty AS mo_product_qty,
       (SELECT {mo_uom} FROM product_product mpp
          JOIN product_template mpt ON mpt.id = mpp.product_tmpl_id
          JOIN product_uom mu ON mu.id = mpt.uom_id
         WHERE mpp.id = mo.product_id) AS mo_uom_name,
       b.id AS bom_id, b.code AS bom_code,
       (SELECT {bom_tmpl} FROM product_template bt WHERE bt.id = b.product_tmpl_id)
           AS bom_tmpl_name,
       (SELECT MAX(v.default_code) FROM product_product v
         WHERE v.product_tmpl_id = b.product_tmpl_id AND v.active
        HAVING COUNT(*) = 1) AS bom_tmpl_code,
       (SELECT rp.name FROM res_users ru JOIN res_partner rp ON rp.id = ru.partner_id
         WHERE ru.id = mo.user_id) AS responsible,
       c.name AS company_name, cp.type AS company_partner_type, cp.street AS company_street,
       cp.zip AS company_zip, cp.city AS company_city,
       (SELECT {country} FROM res_country cc WHERE cc.id = cp.country_id) AS company_country
  FROM stock_production_lot l
  JOIN product_product pp ON pp.id = l.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  LEFT JOIN mrp_production mo ON mo.id = l.production_id
  LEFT JOIN mrp_bom b ON b.id = mo.bom_id
  JOIN res_users cu ON cu.id = %(uid)s
  JOIN res_company c ON c.id = cu.company_id
  LEFT JOIN res_partner cp ON cp.id = c.partner_id
 WHERE l.id = %(lot_id)s
""".format(uom=_tr("product.uom,name", "u.id", "u.name"),
           mo_uom=_tr("product.uom,name", "mu.id", "mu.name"),
           country=_tr("res.country,name", "cc.id", "cc.name"),
           bom_tmpl=_tr("product.template,name", "bt.id", "bt.name"),
           product=product_name_columns("pp", "pt"))

# Clause (d): the approved quality events (and every non-conformance) of the given
# lots, their units, measurements, certificates and signatures in one round trip.
# Parameters: ``lot_ids``, ``coverage_kinds``, ``company_ids``.
ACCEPTANCE = """
SELECT e.id, e.name, e.kind, e.result, e.state, e.date, e.description,
       ARRAY(SELECT r.lot_id FROM serial_quality_event_lot_rel r
              WHERE r.event_id = e.id) AS lot_ids,
       ARRAY(SELECT ARRAY[m.parameter, m.value::text, COALESCE(m.uom, ''), m.limit_kind,
                          m.min_value::text, m.max_value::text, m.passed::text]
               FROM serial_quality_measurement m
              WHERE m.event_id = e.id
                AND (%(company_ids)s::int[] IS NULL OR m.company_id IS NULL
                     OR m.company_id = ANY(%(company_ids)s::int[]))
              ORDER BY m.sequence, m.id) AS measurements,
       ARRAY(SELECT ARRAY[a.name, COALESCE(a.checksum, '')]
               FROM serial_quality_event_attachment_rel ar
               JOIN ir_attachment a ON a.id = ar.attachment_id
              WHERE ar.event_id = e.id ORDER BY a.id DESC) AS attachments,
       ARRAY(SELECT ARRAY[s.signer_name, s.meaning,
                          to_char(s.signed_at, 'YYYY-MM-DD HH24:MI:SS')]
               FROM serial_signature s
              WHERE s.res_model = 'serial.quality.event' AND s.res_id = e.id
                AND (%(company_ids)s::int[] IS NULL OR s.company_id IS NULL
                     OR s.company_id = ANY(%(company_ids)s::int[]))
              ORDER BY s.signed_at DESC, s.id DESC) AS signatures
  FROM serial_quality_event e
 WHERE e.id IN (SELECT r.event_id FROM serial_quality_event_lot_rel r
                 WHERE r.lot_id = ANY(%(lot_ids)s))
   AND e.kind != ALL(%(coverage_kinds)s) AND (e.state = 'done' OR e.kind = 'non_conformance')
   AND (%(company_ids)s::int[] IS NULL OR e.company_id IS NULL
        OR e.company_id = ANY(%(company_ids)s::int[]))
 ORDER BY e.date, e.id
"""

# Clause (e): the label print log of the unit. Parameters: ``lot_id``, ``company_ids``.
LABELS = """
SELECT g.report_name, g.element_string, rp.name AS user_name, g.printed_on,
       g.copy_number, g.reprint
  FROM serial_label_log g
  LEFT JOIN res_users u ON u.id = g.user_id
  LEFT JOIN res_partner rp ON rp.id = u.partner_id
 WHERE g.lot_id = %(lot_id)s
   AND (%(company_ids)s::int[] IS NULL OR g.company_id IS NULL
        OR g.company_id = ANY(%(company_ids)s::int[]))
 ORDER BY g.printed_on, g.id
"""

# The unit's receipts from a supplier, quantities left in the line's unit (converted
# by the caller as the host does). Parameters: ``lot_id``, ``lang``.
RECEIVING = """
SELECT ml.date, COALESCE(p.name, ml.reference) AS reference, rp.display_name AS partner,
       ml.qty_done, ml.product_uom_id, lu.factor AS line_factor, pt.uom_id,
       pu.factor AS product_factor, {uom} AS uom_name
  FROM stock_move_line ml
  JOIN stock_location src ON src.id = ml.location_id
  JOIN product_product pp ON pp.id = ml.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  JOIN product_uom pu ON pu.id = pt.uom_id
  LEFT JOIN product_uom lu ON lu.id = ml.product_uom_id
  LEFT JOIN stock_picking p ON p.id = ml.picking_id
  LEFT JOIN res_partner rp ON rp.id = p.partner_id
 WHERE ml.lot_id = %(lot_id)s AND ml.state = 'done' AND src.usage = 'supplier'
 ORDER BY ml.date, ml.id
""".format(uom=_tr("product.uom,name", "pu.id", "pu.name"))

# The work orders of an MO with their work center and operators (time log).
# Parameters: ``production_id``.
WORK_ORDERS = """
SELECT w.name, wc.name AS workcenter, w.date_start, w.date_finished, w.state,
       ARRAY(SELECT DISTINCT rp.name FROM mrp_workcenter_productivity t
               JOIN res_users u ON u.id = t.user_id
               JOIN res_partner rp ON rp.id = u.partner_id
              WHERE t.workorder_id = w.id AND rp.name IS NOT NULL) AS operators
  FROM mrp_workorder w
  LEFT JOIN mrp_workcenter wc ON wc.id = w.workcenter_id
 WHERE w.production_id = %(production_id)s
 ORDER BY w.id
"""

# After release: the unit's history events of the given types (by date; through the
# view's per-lot function, whose plan the connection keeps), then the
# non-draft recalls naming it (in the recall lines' order), one row each; ``recall``
# tells them apart. Parameters: ``lot_id``, ``event_types``, ``company_ids``.
AFTER_RELEASE = """
SELECT x.recall, x.date, x.event_type, x.reference, rp.display_name AS partner,
       x.description
  FROM (
SELECT FALSE AS recall, h.date, h.event_type, h.reference, h.partner_id, h.description,
       h.date AS k1, h.id AS k2, 0 AS k3
  FROM serial_unit_history_of(ARRAY[%(lot_id)s]) h
 WHERE h.event_type = ANY(%(event_types)s)
   AND (%(company_ids)s::int[] IS NULL OR h.company_id IS NULL
        OR h.company_id = ANY(%(company_ids)s::int[]))
 UNION ALL
SELECT TRUE, r.create_date, NULL, r.name, rl.partner_id, r.reason,
       NULL, r.id, -rl.depth
  FROM serial_recall_line rl
  JOIN serial_recall r ON r.id = rl.recall_id
  JOIN stock_production_lot l ON l.id = rl.lot_id
 WHERE rl.lot_id = %(lot_id)s AND r.state != 'draft'
   AND (%(company_ids)s::int[] IS NULL
        OR ((r.company_id IS NULL OR r.company_id = ANY(%(company_ids)s::int[]))
            AND (l.company_id IS NULL OR l.company_id = ANY(%(company_ids)s::int[]))))
       ) x
  LEFT JOIN res_partner rp ON rp.id = x.partner_id
 ORDER BY x.recall, x.k1, x.k2, x.k3
"""

# The unit's release for distribution (the release gate's columns).
# Parameters: ``lot_id``.
RELEASE = """
SELECT l.release_state, l.release_date, s.id AS signature_id, s.signer_name, s.meaning,
       rp.name AS released_by
  FROM stock_production_lot l
  LEFT JOIN serial_signature s ON s.id = l.release_signature_id
  LEFT JOIN res_users u ON u.id = l.released_by_id
  LEFT JOIN res_partner rp ON rp.id = u.partner_id
 WHERE l.id = %(lot_id)s
"""

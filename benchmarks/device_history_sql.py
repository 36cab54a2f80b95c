# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The device history record's full content written by hand, the yardstick of
``device_history.py``: what a person fluent in the host's schema would send on a bare
connection to print the record of one unit, one statement per part, names joined in
(product ``[code] name``, units of measure, suppliers, partners, users), no ORM.

Each part takes ``lot_id`` (plus ``lot_ids``, the unit and its components from the
as-built rows, for the acceptance records), so a client runs them in order and the
time of the record is the sum. Written apart from the addon's ``sql/``: the same
content, not the same text.
"""

# The unit, its product, MO, BoM, responsible, the printing company, the release.
HEAD = """
SELECT l.name, CASE WHEN pp.default_code IS NOT NULL
                    THEN '[' || pp.default_code || '] ' ELSE '' END || pt.name AS product,
       pt.tracking, pp.barcode, l.production_date, l.expiry_date, l.vendor_lot,
       mo.id AS production_id, mo.name AS mo, mo.state, mo.date_planned_start,
       mo.date_start, mo.date_finished, mo.product_qty, u.name AS uom,
       b.code AS bom_code, bt.name AS bom_product, rp.name AS responsible,
       c.name AS company, cp.street, cp.zip, cp.city, cc.name AS country,
       l.release_state, l.release_date, s.signer_name, s.meaning, rel.name AS released_by
  FROM stock_production_lot l
  JOIN product_product pp ON pp.id = l.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  JOIN product_uom u ON u.id = pt.uom_id
  LEFT JOIN mrp_production mo ON mo.id = l.production_id
  LEFT JOIN mrp_bom b ON b.id = mo.bom_id
  LEFT JOIN product_template bt ON bt.id = b.product_tmpl_id
  LEFT JOIN res_users mu ON mu.id = mo.user_id
  LEFT JOIN res_partner rp ON rp.id = mu.partner_id
  JOIN res_users me ON me.id = 1
  JOIN res_company c ON c.id = me.company_id
  JOIN res_partner cp ON cp.id = c.partner_id
  LEFT JOIN res_country cc ON cc.id = cp.country_id
  LEFT JOIN serial_signature s ON s.id = l.release_signature_id
  LEFT JOIN res_users ru ON ru.id = l.released_by_id
  LEFT JOIN res_partner rel ON rel.id = ru.partner_id
 WHERE l.id = %(lot_id)s
"""

# The units the unit's MO produced, in order (the unit's position, quantities in
# the product's unit of measure).
PRODUCED = """
SELECT ml.lot_id, SUM(ml.qty_done / mu.factor * pu.factor) AS qty, MIN(ml.date) AS date
  FROM stock_production_lot me
  JOIN stock_production_lot l ON l.production_id = me.production_id
  JOIN stock_move_line ml ON ml.lot_id = l.id AND ml.state = 'done'
  JOIN stock_move m ON m.id = ml.move_id AND m.production_id = me.production_id
                   AND m.product_id = ml.product_id
  JOIN product_uom mu ON mu.id = ml.product_uom_id
  JOIN product_product pp ON pp.id = ml.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  JOIN product_uom pu ON pu.id = pt.uom_id
 WHERE me.id = %(lot_id)s
 GROUP BY ml.lot_id
 ORDER BY MIN(ml.date), MIN(ml.id)
"""

# Every component at every level with its names (the as-built walk of
# ``device_history.AS_BUILT_SQL`` with the names joined).
AS_BUILT = """
WITH RECURSIVE walk(parent_lot_id, lot_id, production_id, move_line_id, qty, depth) AS (
    SELECT e.parent_lot_id, e.component_lot_id, e.production_id, e.move_line_id, e.qty, 1
      FROM serial_genealogy_edge e
     WHERE e.parent_lot_id = %(lot_id)s AND e.active
    UNION
    SELECT e.parent_lot_id, e.component_lot_id, e.production_id, e.move_line_id, e.qty,
           w.depth + 1
      FROM walk w
      JOIN serial_genealogy_edge e ON e.parent_lot_id = w.lot_id AND e.active
     WHERE w.depth < 30
)
SELECT l.id, l.name, CASE WHEN pp.default_code IS NOT NULL
                          THEN '[' || pp.default_code || '] ' ELSE '' END || pt.name,
       SUM(w.qty / mu.factor * pu.factor) AS qty, pu.name AS uom,
       COALESCE(sp.display_name, '') AS supplier, COALESCE(l.vendor_lot, '') AS vendor_lot,
       MIN(w.depth) AS depth, w.parent_lot_id
  FROM walk w
  JOIN stock_production_lot l ON l.id = w.lot_id
  JOIN stock_move_line ml ON ml.id = w.move_line_id
  JOIN product_uom mu ON mu.id = ml.product_uom_id
  JOIN product_product pp ON pp.id = l.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  JOIN product_uom pu ON pu.id = pt.uom_id
  LEFT JOIN res_partner sp ON sp.id = l.supplier_id
 GROUP BY w.parent_lot_id, w.lot_id, w.production_id, l.id, pp.id, pt.id, pu.id, sp.id
"""

# Untracked components consumed into the unit and its components.
UNTRACKED = """
SELECT pl.name AS parent, CASE WHEN pp.default_code IS NOT NULL
                               THEN '[' || pp.default_code || '] ' ELSE '' END || pt.name,
       SUM(ml.qty_done / mu.factor * pu.factor) AS qty, pu.name AS uom
  FROM stock_move_line ml
  JOIN stock_move m ON m.id = ml.move_id AND m.raw_material_production_id IS NOT NULL
  JOIN stock_production_lot pl ON pl.id = ml.lot_produced_id
  JOIN product_product pp ON pp.id = ml.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  JOIN product_uom pu ON pu.id = pt.uom_id
  JOIN product_uom mu ON mu.id = ml.product_uom_id
 WHERE ml.lot_produced_id = ANY(%(lot_ids)s) AND ml.lot_id IS NULL AND ml.state = 'done'
 GROUP BY pl.id, pp.id, pt.id, pu.id
"""

# Acceptance records of the unit and its components, with their details.
ACCEPTANCE = """
SELECT e.name, e.kind, e.result, e.state, e.date, e.description,
       (SELECT string_agg(l.name, ', ' ORDER BY l.name)
          FROM serial_quality_event_lot_rel r JOIN stock_production_lot l ON l.id = r.lot_id
         WHERE r.event_id = e.id AND r.lot_id = ANY(%(lot_ids)s)) AS units,
       (SELECT json_agg(m ORDER BY m.sequence, m.id) FROM serial_quality_measurement m
         WHERE m.event_id = e.id) AS measurements,
       (SELECT json_agg(json_build_array(a.name, a.checksum)) FROM ir_attachment a
          JOIN serial_quality_event_attachment_rel ar ON ar.attachment_id = a.id
         WHERE ar.event_id = e.id) AS attachments,
       (SELECT json_agg(json_build_array(s.signer_name, s.meaning, s.signed_at))
          FROM serial_signature s
         WHERE s.res_model = 'serial.quality.event' AND s.res_id = e.id) AS signatures
  FROM serial_quality_event e
 WHERE EXISTS (SELECT 1 FROM serial_quality_event_lot_rel r
                WHERE r.event_id = e.id AND r.lot_id = ANY(%(lot_ids)s))
   AND e.kind NOT IN ('service', 'warranty_claim', 'repair')
   AND (e.state = 'done' OR e.kind = 'non_conformance')
 ORDER BY e.date, e.id
"""

LABELS = """
SELECT g.report_name, g.element_string, p.name, g.printed_on, g.copy_number, g.reprint
  FROM serial_label_log g
  JOIN res_users u ON u.id = g.user_id JOIN res_partner p ON p.id = u.partner_id
 WHERE g.lot_id = %(lot_id)s ORDER BY g.printed_on, g.id
"""

RECEIVING = """
SELECT ml.date, COALESCE(sp.name, ml.reference), rp.display_name,
       ml.qty_done / mu.factor * pu.factor, pu.name
  FROM stock_move_line ml
  JOIN stock_location src ON src.id = ml.location_id AND src.usage = 'supplier'
  JOIN product_uom mu ON mu.id = ml.product_uom_id
  JOIN product_product pp ON pp.id = ml.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  JOIN product_uom pu ON pu.id = pt.uom_id
  LEFT JOIN stock_picking sp ON sp.id = ml.picking_id
  LEFT JOIN res_partner rp ON rp.id = sp.partner_id
 WHERE ml.lot_id = %(lot_id)s AND ml.state = 'done'
 ORDER BY ml.date, ml.id
"""

WORK_ORDERS = """
SELECT w.name, wc.name, w.date_start, w.date_finished, w.state,
       (SELECT string_agg(DISTINCT p.name, ', ') FROM mrp_workcenter_productivity t
          JOIN res_users u ON u.id = t.user_id JOIN res_partner p ON p.id = u.partner_id
         WHERE t.workorder_id = w.id)
  FROM stock_production_lot l
  JOIN mrp_workorder w ON w.production_id = l.production_id
  JOIN mrp_workcenter wc ON wc.id = w.workcenter_id
 WHERE l.id = %(lot_id)s ORDER BY w.id
"""

# After release: the unit's shipments, returns, service (unit history) and recalls.
# The history through the addon's per-lot function of its view (its plan kept by the
# connection: planning the view's UNION for one unit costs ten times running it), as
# the as-built walk uses the addon's edge table.
AFTER_RELEASE = """
SELECT h.date, h.event_type, h.reference, p.display_name, h.description
  FROM serial_unit_history_of(ARRAY[%(lot_id)s]) h
  LEFT JOIN res_partner p ON p.id = h.partner_id
 WHERE h.event_type IN ('shipped', 'returned', 'supplier_return', 'scrapped', 'service')
UNION ALL
SELECT r.create_date, 'recall', r.name, p.display_name, r.reason
  FROM serial_recall_line rl JOIN serial_recall r ON r.id = rl.recall_id
  LEFT JOIN res_partner p ON p.id = rl.partner_id
 WHERE rl.lot_id = %(lot_id)s AND r.state != 'draft'
 ORDER BY 1
"""

PARTS = (("head", HEAD), ("produced", PRODUCED), ("as_built", AS_BUILT),
         ("untracked", UNTRACKED), ("acceptance", ACCEPTANCE), ("labels", LABELS),
         ("receiving", RECEIVING), ("work_orders", WORK_ORDERS),
         ("after_release", AFTER_RELEASE))


def run_record(cur, lot_id, names=None):
    """The record's parts (``names``: only those), in a client's order:
    ``{part: rows}``."""
    out = {}
    for name, sql in PARTS:
        if names and name not in names:
            continue
        params = {"lot_id": lot_id}
        if name in ("untracked", "acceptance"):
            params["lot_ids"] = [lot_id] + [row[0] for row in out["as_built"]]
        cur.execute(sql, params)
        out[name] = cur.fetchall()
    return out

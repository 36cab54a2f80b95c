"""SQL text of a lot's mass balance, host-free.

Where did the quantity of one lot go? Every done move line of the lot is sorted by
the usage of its source and destination locations (received, produced, consumed,
shipped, returned, scrapped, inventory loss), each quantity converted from the
line's unit into the product's unit through the units' factors. What is in stock is
read from the quants, not from the moves: a quant changed without a move (raw SQL,
a broken import) then shows as a gap instead of balancing by construction.

Parameters only (``%(name)s``): ``lot_id``; ``uom_factor`` (the factor of the
product's unit); ``quarantine_ids`` (locations counted apart); ``max_depth``.
"""

# The unit of the lot's product (without loading the lot's every column).
LOT_UOM = """
    SELECT pt.uom_id
      FROM stock_production_lot l
      JOIN product_product pp ON pp.id = l.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
     WHERE l.id = %(lot_id)s
"""

# Lot names (a lot's display name in the ORM would load every column of the lot).
LOT_NAMES = """
    SELECT id, name FROM stock_production_lot WHERE id = ANY(%(lot_ids)s::int[])
"""

# Move lines of the lot whose unit is of another category than the product's.
FOREIGN_UNITS = """
    SELECT DISTINCT lu.name
      FROM stock_move_line ml
      JOIN product_uom lu ON lu.id = ml.product_uom_id
     WHERE ml.lot_id = %(lot_id)s AND ml.state = 'done'
       AND lu.category_id <> %(uom_category_id)s
     ORDER BY lu.name
"""

# One row per (kind, reference): the lot's done quantities by what happened to them.
# ``ref_id``: the partner (received, shipped, returned, supplier_return), the
# produced lot (consumed; NULL when the MO recorded none), the MO (produced,
# consumed_mo), the location (scrapped, lost). ``sign`` undoes a reversal: an
# unbuild gives back components, which is less consumed, not more produced.
FLOWS = """
    WITH ml AS (
        SELECT ml.qty_done / lu.factor * %(uom_factor)s AS qty,
               ml.location_id, ml.location_dest_id, ml.lot_produced_id,
               src.usage AS src_usage, dst.usage AS dst_usage,
               COALESCE(src.scrap_location, FALSE) AS src_scrap,
               COALESCE(dst.scrap_location, FALSE) AS dst_scrap,
               COALESCE(m.production_id, m.raw_material_production_id, ub.mo_id)
                   AS production_id,
               m.unbuild_id IS NOT NULL AS unbuilt, ub.lot_id AS unbuilt_lot_id,
               COALESCE(cp.commercial_partner_id, cp.id) AS partner_id
          FROM stock_move_line ml
          JOIN product_uom lu ON lu.id = ml.product_uom_id
          JOIN stock_location src ON src.id = ml.location_id
          JOIN stock_location dst ON dst.id = ml.location_dest_id
          LEFT JOIN stock_move m ON m.id = ml.move_id
          LEFT JOIN mrp_unbuild ub ON ub.id = m.unbuild_id
          LEFT JOIN stock_picking p ON p.id = ml.picking_id
          LEFT JOIN res_partner cp ON cp.id = COALESCE(p.partner_id, m.partner_id)
         WHERE ml.lot_id = %(lot_id)s AND ml.state = 'done'
    ), flagged AS (
        SELECT ml.*,
               (src_usage = 'inventory' AND NOT src_scrap) AS src_inv,
               (dst_usage = 'inventory' AND NOT dst_scrap) AS dst_inv
          FROM ml
    )
    SELECT k.kind, k.ref_id, SUM(k.sign * f.qty) AS qty
      FROM flagged f
     CROSS JOIN LATERAL (VALUES
        ('received', 1, f.src_usage = 'supplier' AND f.dst_usage <> 'supplier', f.partner_id),
        ('supplier_return', 1, f.dst_usage = 'supplier' AND f.src_usage <> 'supplier',
         f.partner_id),
        ('produced', 1, f.src_usage = 'production' AND f.dst_usage <> 'production'
         AND NOT f.unbuilt, f.production_id),
        ('consumed', 1, f.dst_usage = 'production' AND f.src_usage <> 'production',
         f.lot_produced_id),
        ('consumed_mo', 1, f.dst_usage = 'production' AND f.src_usage <> 'production',
         f.production_id),
        ('consumed', -1, f.src_usage = 'production' AND f.dst_usage <> 'production'
         AND f.unbuilt, f.unbuilt_lot_id),
        ('consumed_mo', -1, f.src_usage = 'production' AND f.dst_usage <> 'production'
         AND f.unbuilt, f.production_id),
        ('shipped', 1, f.dst_usage = 'customer' AND f.src_usage <> 'customer', f.partner_id),
        ('returned', 1, f.src_usage = 'customer' AND f.dst_usage <> 'customer', f.partner_id),
        ('scrapped', 1, f.dst_scrap AND NOT f.src_scrap, f.location_dest_id),
        ('scrapped', -1, f.src_scrap AND NOT f.dst_scrap, f.location_id),
        ('lost', 1, f.dst_inv AND NOT f.src_inv, f.location_dest_id),
        ('lost', -1, f.src_inv AND NOT f.dst_inv, f.location_id)
     ) AS k(kind, sign, hit, ref_id)
     WHERE k.hit
     GROUP BY k.kind, k.ref_id
"""

# Per stock location (internal or transit): what the quants hold, and what the
# lot's done moves say should be there. A difference is a gap at that location.
STOCK = """
    WITH quants AS (
        SELECT q.location_id, SUM(q.quantity) AS qty
          FROM stock_quant q
          JOIN stock_location l ON l.id = q.location_id
         WHERE q.lot_id = %(lot_id)s AND l.usage IN ('internal', 'transit')
         GROUP BY q.location_id
    ), moves AS (
        SELECT x.location_id, SUM(x.qty) AS qty
          FROM (SELECT ml.location_dest_id AS location_id,
                       ml.qty_done / lu.factor * %(uom_factor)s AS qty
                  FROM stock_move_line ml JOIN product_uom lu ON lu.id = ml.product_uom_id
                 WHERE ml.lot_id = %(lot_id)s AND ml.state = 'done'
                UNION ALL
                SELECT ml.location_id, -ml.qty_done / lu.factor * %(uom_factor)s
                  FROM stock_move_line ml JOIN product_uom lu ON lu.id = ml.product_uom_id
                 WHERE ml.lot_id = %(lot_id)s AND ml.state = 'done') x
          JOIN stock_location l ON l.id = x.location_id
         WHERE l.usage IN ('internal', 'transit')
         GROUP BY x.location_id
    )
    SELECT COALESCE(q.location_id, m.location_id) AS location_id,
           COALESCE(q.qty, 0) AS quant_qty, COALESCE(m.qty, 0) AS moved_qty,
           COALESCE(q.location_id, m.location_id) = ANY(%(quarantine_ids)s::int[]) AS quarantine
      FROM quants q
      FULL JOIN moves m ON m.location_id = q.location_id
     ORDER BY 1
"""

# The suspect lot's quantity in every lot it went into, at every level: the direct
# links' quantities, then at each level the share of the intermediate lot that
# went on (link quantity / quantity produced of the intermediate lot, both in the
# category's reference unit, so the units cancel out). A lot with no production
# recorded (made before the history began) is divided by what it gave instead.
OUTPUTS = """
    WITH RECURSIVE walk(lot_id, qty, depth) AS (
        SELECT e.parent_lot_id, SUM(%(uom_factor)s * (
                   SELECT ml.qty_done / lu.factor
                     FROM stock_move_line ml JOIN product_uom lu ON lu.id = ml.product_uom_id
                    WHERE ml.id = e.move_line_id)), 1
          FROM serial_genealogy_edge e
         WHERE e.component_lot_id = %(lot_id)s AND e.active
         GROUP BY e.parent_lot_id
        UNION ALL
        SELECT e.parent_lot_id, w.qty * (
                   SELECT ml.qty_done / lu.factor
                     FROM stock_move_line ml JOIN product_uom lu ON lu.id = ml.product_uom_id
                    WHERE ml.id = e.move_line_id) / COALESCE(
                   (SELECT NULLIF(SUM(pml.qty_done / pu.factor), 0)
                      FROM stock_move_line pml
                      JOIN product_uom pu ON pu.id = pml.product_uom_id
                      JOIN stock_location src ON src.id = pml.location_id
                      JOIN stock_move pm ON pm.id = pml.move_id
                     WHERE pml.lot_id = w.lot_id AND pml.state = 'done'
                       AND src.usage = 'production' AND pm.unbuild_id IS NULL),
                   (SELECT SUM(oml.qty_done / ou.factor)
                      FROM serial_genealogy_edge oe
                      JOIN stock_move_line oml ON oml.id = oe.move_line_id
                      JOIN product_uom ou ON ou.id = oml.product_uom_id
                     WHERE oe.component_lot_id = w.lot_id AND oe.active)),
               w.depth + 1
          FROM walk w
          JOIN serial_genealogy_edge e ON e.component_lot_id = w.lot_id AND e.active
         WHERE w.depth < %(max_depth)s
    )
    SELECT w.lot_id, l.name AS lot, w.qty, w.depth
      FROM (SELECT lot_id, SUM(qty) AS qty, MIN(depth) AS depth
              FROM walk WHERE qty IS NOT NULL GROUP BY lot_id) w
      JOIN stock_production_lot l ON l.id = w.lot_id
     ORDER BY w.depth, w.lot_id
"""

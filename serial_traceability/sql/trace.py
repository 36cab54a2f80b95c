"""SQL text of the trace screen's rows beyond the genealogy itself, host-free.

The trace screen (``serial.trace``) materialises ``genealogy_sql.trace_sql`` rows.
Two things a person asks next are added here, set-based and with parameters only:

* how much went through each row's link, in the product's unit of measure: the sum
  of the link's consumption lines (a link is one component lot into one produced
  lot through one MO), converted the way the host converts (factor ratio);
* in a backward trace, the components that carry no lot (a housing, screws): the
  untracked consumption lines of every produced unit of the trace, one row per
  unit, MO and product, with no lot.
"""

_LINK = {
    # (component, produced) columns of a trace row, by direction
    "backward": ("t.lot_id", "t.parent_lot_id"),
    "forward": ("t.parent_lot_id", "t.lot_id"),
}

# The quantity of a consumption line in its product's unit of measure.
_IN_PRODUCT_UOM = ("ml.qty_done / COALESCE(NULLIF(mu.factor, 0), 1)"
                   " * COALESCE(pu.factor, 1)")
_UOM_JOINS = """
      JOIN product_product pp ON pp.id = ml.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
      LEFT JOIN product_uom mu ON mu.id = ml.product_uom_id
      LEFT JOIN product_uom pu ON pu.id = pt.uom_id"""


def link_quantity_join(direction):
    """A ``LEFT JOIN LATERAL ... q`` giving ``q.qty`` and ``q.uom_id`` for a trace row
    aliased ``t`` (columns ``lot_id``, ``parent_lot_id``, ``production_id``)."""
    if direction not in _LINK:
        raise ValueError("direction must be 'forward' or 'backward', not %r" % (direction,))
    component, produced = _LINK[direction]
    return """
  LEFT JOIN LATERAL (
        SELECT SUM(%(qty)s) AS qty, MIN(pt.uom_id) AS uom_id
          FROM serial_genealogy_edge e
          JOIN stock_move_line ml ON ml.id = e.move_line_id%(joins)s
         WHERE e.component_lot_id = %(component)s AND e.parent_lot_id = %(produced)s
           AND e.production_id IS NOT DISTINCT FROM t.production_id AND e.active) q ON TRUE
""" % {"qty": _IN_PRODUCT_UOM, "joins": _UOM_JOINS, "component": component,
       "produced": produced}


def fill_rows_sql(genealogy, direction):
    """INSERT of a trace's rows from ``genealogy`` (the text of a genealogy trace
    query, parameters ``trace_id``, ``lot_id``, ``uid`` and the genealogy's own):
    each row with its link's quantity and its lot's kept ``unit_state``, the status
    the lot list, the recall and the exports show."""
    return """
INSERT INTO serial_trace_line
    (trace_id, root_lot_id, lot_id, parent_lot_id, depth, production_id, product_id,
     qty, uom_id, location_id, unit_state, partner_id, picking_id, ship_date,
     create_uid, write_uid, create_date, write_date)
SELECT %(trace_id)s, %(lot_id)s, t.lot_id, t.parent_lot_id, t.depth, t.production_id,
       t.product_id, q.qty, q.uom_id, t.location_id, lot.unit_state,
       t.partner_id, t.picking_id, t.ship_date,
       %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
  FROM (""" + genealogy + """) t
  LEFT JOIN stock_production_lot lot ON lot.id = t.lot_id""" + link_quantity_join(direction)


# Parameters: trace_id, root_lot_id, company_ids, uid. The produced units are the
# root and every lot of its trace rows; each one's untracked components are the
# done consumption lines without a lot that name it as the unit they went into.
UNTRACKED_COMPONENTS = """
INSERT INTO serial_trace_line
    (trace_id, root_lot_id, lot_id, parent_lot_id, depth, production_id, product_id,
     qty, uom_id, unit_state, create_uid, write_uid, create_date, write_date)
SELECT %(trace_id)s, %(root_lot_id)s, NULL, ml.lot_produced_id, made.depth + 1,
       m.raw_material_production_id, ml.product_id, SUM(""" + _IN_PRODUCT_UOM + """),
       pt.uom_id, 'untracked', %(uid)s, %(uid)s,
       now() at time zone 'UTC', now() at time zone 'UTC'
  FROM (SELECT %(root_lot_id)s AS lot_id, 0 AS depth
        UNION ALL
        SELECT lot_id, MIN(depth) FROM serial_trace_line
         WHERE trace_id = %(trace_id)s AND root_lot_id = %(root_lot_id)s
           AND lot_id IS NOT NULL
         GROUP BY lot_id) made
  JOIN stock_move_line ml ON ml.lot_produced_id = made.lot_id AND ml.lot_id IS NULL
  JOIN stock_move m ON m.id = ml.move_id""" + _UOM_JOINS + """
 WHERE ml.state = 'done' AND ml.qty_done > 0 AND m.raw_material_production_id IS NOT NULL
   AND m.company_id = ANY(%(company_ids)s)
   -- an unbuilt unit gave its components back: its retired links say so
   AND NOT EXISTS (SELECT 1 FROM serial_genealogy_edge x
                    WHERE x.parent_lot_id = made.lot_id
                      AND x.production_id = m.raw_material_production_id AND NOT x.active)
 GROUP BY ml.lot_produced_id, made.depth, m.raw_material_production_id, ml.product_id,
          pt.uom_id
"""

# The host has no index on the unit a consumption line went into; untracked lines
# are the only ones looked up by it (tracked ones come from the link table).
UNTRACKED_INDEX = (
    "CREATE INDEX IF NOT EXISTS stock_move_line_serial_untracked_idx"
    " ON stock_move_line (lot_produced_id)"
    " WHERE lot_id IS NULL AND lot_produced_id IS NOT NULL")

"""SQL text of the unit history view's move-line source, its company column, its
indexes and its per-lot function, host-free (``models/serial_unit_history.py``
composes the view from these and the other features' sources)."""

# A row's company, from the row's own columns (see models/serial_unit_history.py).
COMPANY_OF_ROW = """COALESCE(
    (SELECT loc.company_id FROM stock_location loc WHERE loc.id = src.location_id),
    (SELECT loc.company_id FROM stock_location loc WHERE loc.id = src.location_dest_id),
    (SELECT lot.company_id FROM stock_production_lot lot WHERE lot.id = src.lot_id))"""

# The order matters: a scrap or an unbuild also goes to or from a virtual location.
# Few joins on purpose: a unit has a handful of rows, so planning the statement costs
# more than running it; the document (scrap, transfer, MO, unbuild, inventory, by
# that precedence) is one small lateral lookup instead of five outer joins.
MOVE_LINE_SOURCE = """
SELECT ml.id::bigint AS id, ml.lot_id AS lot_id, ml.date AS date,
       CASE WHEN m.inventory_id IS NOT NULL THEN 'inventory'
            WHEN m.scrapped OR dst.scrap_location THEN 'scrapped'
            WHEN m.consume_unbuild_id IS NOT NULL THEN 'unbuilt'
            WHEN m.unbuild_id IS NOT NULL THEN 'recovered'
            WHEN m.production_id IS NOT NULL THEN 'produced'
            WHEN m.raw_material_production_id IS NOT NULL THEN 'consumed'
            WHEN src.usage = 'supplier' THEN 'received'
            WHEN dst.usage = 'customer' THEN 'shipped'
            WHEN src.usage = 'customer' THEN 'returned'
            WHEN dst.usage = 'supplier' THEN 'supplier_return'
            ELSE 'moved' END::varchar AS event_type,
       COALESCE(doc.partner_id, m.partner_id) AS partner_id,
       COALESCE(doc.user_id, ml.write_uid) AS user_id,
       COALESCE(doc.name, m.origin, m.name)::varchar AS reference,
       COALESCE(doc.model, 'stock.move')::varchar AS res_model,
       COALESCE(doc.id, m.id) AS res_id,
       COALESCE(m.production_id, m.raw_material_production_id) AS production_id,
       ml.picking_id AS picking_id,
       ml.location_id AS location_id, ml.location_dest_id AS location_dest_id,
       concat_ws(' · ',
                 trim(to_char(ml.qty_done, 'FM999999999990.#####'), '.') || ' ' ||
                 (SELECT uom.name FROM product_uom uom WHERE uom.id = ml.product_uom_id),
                 'into ' || (SELECT parent.name FROM stock_production_lot parent
                              WHERE parent.id = ml.lot_produced_id),
                 CASE WHEN src.usage = 'supplier' THEN 'vendor lot ' ||
                      (SELECT lot.vendor_lot FROM stock_production_lot lot
                        WHERE lot.id = ml.lot_id) END,
                 CASE WHEN m.raw_material_production_id IS NOT NULL THEN ({origin}) END
       )::varchar AS description
  FROM stock_move_line ml
  JOIN stock_move m ON m.id = ml.move_id
  JOIN stock_location src ON src.id = ml.location_id
  JOIN stock_location dst ON dst.id = ml.location_dest_id
  LEFT JOIN LATERAL (
        SELECT 1 AS rank, 'stock.scrap' AS model, sc.id, sc.name, NULL::int AS partner_id,
               NULL::int AS user_id
          FROM stock_scrap sc WHERE m.scrapped AND sc.move_id = m.id
        UNION ALL
        SELECT 2, 'stock.picking', p.id, p.name, p.partner_id, NULL
          FROM stock_picking p WHERE p.id = ml.picking_id
        UNION ALL
        SELECT 3, 'mrp.production', mo.id, mo.name, NULL, mo.user_id FROM mrp_production mo
         WHERE mo.id = COALESCE(m.production_id, m.raw_material_production_id)
        UNION ALL
        SELECT 4, 'mrp.unbuild', ub.id, ub.name, NULL, NULL FROM mrp_unbuild ub
         WHERE ub.id = COALESCE(m.unbuild_id, m.consume_unbuild_id)
        UNION ALL
        SELECT 5, 'stock.inventory', inv.id, inv.name, NULL, NULL FROM stock_inventory inv
         WHERE inv.id = m.inventory_id
        ORDER BY 1 LIMIT 1) doc ON TRUE
 WHERE ml.state = 'done' AND ml.lot_id IS NOT NULL
"""

# Where a consumed lot came from, beside what of it went into the unit: its supplier
# and first receipt (with the supplier's lot), or the MO that built it. From the lot's
# kept columns and one probe of its first receipt (index on the lot's move lines).
CONSUMED_ORIGIN = """
SELECT CASE WHEN lot.supplier_id IS NOT NULL THEN
            'from ' || sup.name
            || COALESCE(', received ' || to_char(rec.date, 'YYYY-MM-DD'), '')
            || COALESCE(' (vendor lot ' || lot.vendor_lot || ')', '')
       WHEN lot.production_id IS NOT NULL THEN 'built by ' || made.name END
  FROM stock_production_lot lot
  LEFT JOIN res_partner sup ON sup.id = lot.supplier_id
  LEFT JOIN mrp_production made ON made.id = lot.production_id
  LEFT JOIN LATERAL (
        SELECT r.date FROM stock_move_line r
          JOIN stock_location rs ON rs.id = r.location_id AND rs.usage = 'supplier'
         WHERE r.lot_id = lot.id AND r.state = 'done'
         ORDER BY r.date LIMIT 1) rec ON TRUE
 WHERE lot.id = ml.lot_id
"""
MOVE_LINE_SOURCE = MOVE_LINE_SOURCE.replace("{origin}", CONSUMED_ORIGIN)

HISTORY_INDEXES = {
    # Other sources need ids beyond 2**31, so the view's id is a bigint and reading
    # rows by id compares ``ml.id::bigint``: the host's int4 primary key cannot serve
    # that, this index does (without it, one read scans every move line). Not partial:
    # ANALYZE keeps no statistics for a partial index's expression, and the planner's
    # default guess (2 % of all move lines) made it JIT-compile every read for ~1 s.
    "stock_move_line_serial_history_bigint_id_idx": ("stock_move_line", ["(id::bigint)"]),
    # Scraps are found by their move; the host has no index for it.
    "stock_scrap_serial_move_idx": ("stock_scrap", ["move_id"]),
}

# Planning the view's UNION of every source costs four times running it for one unit
# (measured: 1.2-1.9 ms against 0.3 ms, ``benchmarks/unit_history.py``). PL/pgSQL
# keeps the plan of its query for the connection, so a lookup only runs it; it must
# be told to (PostgreSQL 12+), or it re-plans for every array of lots it is given.
# The function returns the view's row type: DROP VIEW ... CASCADE drops it too.
HISTORY_FUNCTION = """
CREATE OR REPLACE FUNCTION serial_unit_history_of(lot_ids integer[])
RETURNS SETOF serial_unit_history LANGUAGE plpgsql STABLE%s AS $fn$
BEGIN
    RETURN QUERY SELECT * FROM serial_unit_history h WHERE h.lot_id = ANY(lot_ids);
END
$fn$
"""


def history_function_ddl(server_version_num):
    return HISTORY_FUNCTION % (" SET plan_cache_mode = force_generic_plan"
                               if server_version_num >= 120000 else "")

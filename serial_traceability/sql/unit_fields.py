"""SQL text of the lot's unit fields (who made it, who sold it to us, who has it,
where it is, its status), host-free: one set-based statement over the host's done
move lines, for the lots of a transfer at runtime or for every lot at install.

``unit_state`` is the addon's one unit-status vocabulary: the trace screen, the
recall and the exports read it from the lot rather than deriving their own.
"""
from . import install as install_sql

# Done move lines of the given lots, with what each did to our stock ({hold}: see
# recompute_sql; {lines} and {lots} choose the lots: ``lot_ids``, or at install a
# range of lot ids, readable lines only). Quantities go to the lot's product unit: a
# lot is "in stock" while what came into internal/transit locations exceeds what left
# them. Set-based (one pass, sorts and hash joins), so one lot after a transfer and
# every lot of a database at install cost the same per lot.
RECOMPUTE = """
WITH ml AS (
    SELECT ml.id, ml.lot_id, ml.date, m.production_id, ml.location_dest_id, ml.picking_id,
           COALESCE(m.scrapped, FALSE) OR COALESCE(dst.scrap_location, FALSE) AS scrapped,
           src.usage AS src_usage, dst.usage AS dst_usage,
           COALESCE(p.partner_id, m.partner_id) AS partner_id,
           ml.qty_done / COALESCE(NULLIF(mu.factor, 0), 1) * COALESCE(pu.factor, 1) AS qty
      FROM stock_move_line ml
      JOIN stock_move m ON m.id = ml.move_id
      JOIN stock_location src ON src.id = ml.location_id
      JOIN stock_location dst ON dst.id = ml.location_dest_id
      JOIN product_product pp ON pp.id = ml.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
      LEFT JOIN product_uom mu ON mu.id = ml.product_uom_id
      LEFT JOIN product_uom pu ON pu.id = pt.uom_id
      LEFT JOIN stock_picking p ON p.id = ml.picking_id
     WHERE ml.state = 'done' AND {lines}
), per_lot AS (
    -- one pass per lot (ordered aggregates), not one sorted subquery per question: the
    -- lines of a transfer are new in the transaction, the planner sees no rows in them
    -- and would rescan each subquery once per lot (18 s for 200 serials, issue 19)
    SELECT lot_id,
           (array_agg(production_id ORDER BY date DESC, id DESC)
                FILTER (WHERE production_id IS NOT NULL))[1] AS production_id,
           (array_agg(location_dest_id ORDER BY date DESC, id DESC))[1] AS location_dest_id,
           (array_agg(partner_id ORDER BY date, id)
                FILTER (WHERE src_usage = 'supplier'))[1] AS supplier_id,
           (array_agg(partner_id ORDER BY date DESC, id DESC)
                FILTER (WHERE dst_usage = 'customer'))[1] AS customer_id,
           (array_agg(date ORDER BY date DESC, id DESC)
                FILTER (WHERE dst_usage = 'customer'))[1] AS ship_date,
           (array_agg(picking_id ORDER BY date DESC, id DESC)
                FILTER (WHERE dst_usage = 'customer'))[1] AS ship_picking_id,
           (array_agg(src_usage = 'customer' ORDER BY date DESC, id DESC)
                FILTER (WHERE 'customer' IN (src_usage, dst_usage)))[1] AS came_back,
           (array_agg(dst_usage ORDER BY date DESC, id DESC)
                FILTER (WHERE src_usage IN ('internal', 'transit')
                          AND dst_usage NOT IN ('internal', 'transit')))[1] AS out_usage,
           (array_agg(scrapped ORDER BY date DESC, id DESC)
                FILTER (WHERE src_usage IN ('internal', 'transit')
                          AND dst_usage NOT IN ('internal', 'transit')))[1] AS out_scrapped,
           SUM(CASE WHEN dst_usage IN ('internal', 'transit') THEN qty ELSE 0 END)
         - SUM(CASE WHEN src_usage IN ('internal', 'transit') THEN qty ELSE 0 END) AS qty
      FROM ml GROUP BY lot_id
), result AS (
    SELECT l.id AS lot_id, o.production_id, o.supplier_id, o.customer_id, o.ship_date,
           o.ship_picking_id AS delivery_picking_id,
           o.location_dest_id AS current_location_id,
           (CASE WHEN COALESCE(o.qty, 0) > 0.000001 THEN
                      CASE WHEN {hold} THEN 'quarantined'
                           WHEN o.came_back THEN 'returned'
                           ELSE 'in_stock' END
                 WHEN o.out_usage IS NULL THEN NULL
                 WHEN o.out_scrapped OR o.out_usage = 'inventory' THEN 'scrapped'
                 WHEN o.out_usage = 'production' THEN 'consumed'
                 WHEN o.out_usage IN ('customer', 'supplier') THEN 'shipped'
            END)::varchar AS unit_state
      FROM stock_production_lot l
      LEFT JOIN per_lot o ON o.lot_id = l.id
     WHERE {lots}
)
{final}"""

# Runtime: write what changed.
UPDATE = """
UPDATE stock_production_lot lot
   SET production_id = r.production_id, supplier_id = r.supplier_id,
       customer_id = r.customer_id, ship_date = r.ship_date, unit_state = r.unit_state,
       delivery_picking_id = r.delivery_picking_id, current_location_id = r.current_location_id
  FROM result r
 WHERE lot.id = r.lot_id
   AND (lot.production_id, lot.supplier_id, lot.customer_id, lot.ship_date, lot.unit_state,
        lot.delivery_picking_id, lot.current_location_id)
       IS DISTINCT FROM
       (r.production_id, r.supplier_id, r.customer_id, r.ship_date, r.unit_state,
        r.delivery_picking_id, r.current_location_id)
"""

# Install: into the install's work table (``install_sql.UNIT_TABLE``), lots that
# moved only; the install writes every lot column in one pass afterwards.
INSERT = """
INSERT INTO serial_install_lot_unit
SELECT r.lot_id, r.production_id, r.supplier_id, r.customer_id, r.ship_date, r.unit_state,
       r.delivery_picking_id, r.current_location_id
  FROM result r
 WHERE num_nonnulls(r.production_id, r.supplier_id, r.customer_id, r.ship_date,
                    r.unit_state, r.delivery_picking_id, r.current_location_id) > 0
"""


def recompute_sql(hold, install=False):
    """The recompute statement. ``hold``: the SQL boolean of a lot on quality hold
    (``l`` is the lot), ``FALSE`` before that column exists. At runtime it takes
    ``lot_ids`` and updates what changed; with ``install`` it takes a range of lot
    ids ``first`` to ``stop`` (excluded) and inserts into the install's work table,
    leaving out lines the install cannot read."""
    if install:
        return RECOMPUTE.format(
            hold=hold, lots="l.id >= %(first)s AND l.id < %(stop)s",
            lines="ml.lot_id >= %(first)s AND ml.lot_id < %(stop)s AND "
                  + install_sql.READABLE, final=INSERT)
    return RECOMPUTE.format(hold=hold, lines="ml.lot_id = ANY(%(lot_ids)s)",
                            lots="l.id = ANY(%(lot_ids)s)", final=UPDATE)

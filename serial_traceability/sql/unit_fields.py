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
), made AS (
    SELECT DISTINCT ON (lot_id) lot_id, production_id FROM ml
     WHERE production_id IS NOT NULL ORDER BY lot_id, date DESC, id DESC
), last AS (
    SELECT DISTINCT ON (lot_id) lot_id, location_dest_id FROM ml
     ORDER BY lot_id, date DESC, id DESC
), received AS (
    SELECT DISTINCT ON (lot_id) lot_id, partner_id FROM ml
     WHERE src_usage = 'supplier' ORDER BY lot_id, date, id
), ship AS (
    SELECT DISTINCT ON (lot_id) lot_id, partner_id, date, picking_id FROM ml
     WHERE dst_usage = 'customer' ORDER BY lot_id, date DESC, id DESC
), customer_side AS (
    SELECT DISTINCT ON (lot_id) lot_id, src_usage = 'customer' AS came_back FROM ml
     WHERE 'customer' IN (src_usage, dst_usage) ORDER BY lot_id, date DESC, id DESC
), went_out AS (
    SELECT DISTINCT ON (lot_id) lot_id, dst_usage, scrapped FROM ml
     WHERE src_usage IN ('internal', 'transit') AND dst_usage NOT IN ('internal', 'transit')
     ORDER BY lot_id, date DESC, id DESC
), balance AS (
    SELECT lot_id, SUM(CASE WHEN dst_usage IN ('internal', 'transit') THEN qty ELSE 0 END)
                 - SUM(CASE WHEN src_usage IN ('internal', 'transit') THEN qty ELSE 0 END)
                   AS qty
      FROM ml GROUP BY lot_id
), result AS (
    SELECT l.id AS lot_id, made.production_id, received.partner_id AS supplier_id,
           ship.partner_id AS customer_id, ship.date AS ship_date,
           ship.picking_id AS delivery_picking_id, last.location_dest_id AS current_location_id,
           (CASE WHEN COALESCE(balance.qty, 0) > 0.000001 THEN
                      CASE WHEN {hold} THEN 'quarantined'
                           WHEN customer_side.came_back THEN 'returned'
                           ELSE 'in_stock' END
                 WHEN went_out.dst_usage IS NULL THEN NULL
                 WHEN went_out.scrapped OR went_out.dst_usage = 'inventory' THEN 'scrapped'
                 WHEN went_out.dst_usage = 'production' THEN 'consumed'
                 WHEN went_out.dst_usage IN ('customer', 'supplier') THEN 'shipped'
            END)::varchar AS unit_state
      FROM stock_production_lot l
      LEFT JOIN last ON last.lot_id = l.id
      LEFT JOIN made ON made.lot_id = l.id
      LEFT JOIN received ON received.lot_id = l.id
      LEFT JOIN ship ON ship.lot_id = l.id
      LEFT JOIN customer_side ON customer_side.lot_id = l.id
      LEFT JOIN went_out ON went_out.lot_id = l.id
      LEFT JOIN balance ON balance.lot_id = l.id
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

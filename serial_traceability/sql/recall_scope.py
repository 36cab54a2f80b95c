"""SQL text of a recall's scope, host-free.

From the suspect lots to every affected unit in one statement, built on the
genealogy engine's many-roots walk (``genealogy_sql.walk_many_cte``): the units
the suspects went into at every level, the suspects' own stock, the units being
built right now in open MOs, and for each one where it is, who received it last,
what to do about it. The recall wizard aggregates it for its preview; the campaign
inserts it into its lines with ``INSERT ... SELECT`` so that no row passes through
Python. Parameters only (``%(name)s``).

Parameters: ``lot_ids`` (suspects), ``company_ids``, ``max_depth`` (None: all
levels), ``include_suspect_stock``, ``include_wip``, ``include_shipped``,
``keep_used`` (keep a suspect that was consumed or scrapped: the refresh of a
campaign's lines, where every unit is its own "suspect").
"""
from . import genealogy as genealogy_sql

STATUSES = ("in_stock", "in_production", "shipped", "returned", "scrapped", "consumed")

# What containment does with a unit, by status.
ACTIONS = {
    "in_stock": "quarantine",
    "returned": "quarantine",
    "in_production": "hold_production",
    "shipped": "retrieve",
    "consumed": "none",
    "scrapped": "none",
}

SCOPE_COLUMNS = (
    "root_lot_id", "lot_id", "parent_lot_id", "depth", "path", "production_id",
    "wip_production_id", "product_id", "status", "location_id", "partner_id", "picking_id",
    "ship_date", "at_customer", "qty", "uom_id", "action",
)

INDEXES = (
    # the customers of a recall, and each one's units (notification, exports)
    "CREATE INDEX IF NOT EXISTS serial_recall_line_partner_idx"
    " ON serial_recall_line (recall_id, partner_id) WHERE at_customer",
    # open move lines are few, and the WIP lookup reads only them
    "CREATE INDEX IF NOT EXISTS stock_move_line_serial_open_lot_idx"
    " ON stock_move_line (lot_id) WHERE state NOT IN ('done', 'cancel')",
    # a lot's stock by location (the host indexes quants by product and location)
    "CREATE INDEX IF NOT EXISTS stock_quant_serial_lot_idx ON stock_quant (lot_id)",
)

_SCOPE = """
, reached AS (""" + genealogy_sql.UNIT_CLOSURE_MANY + """)
, suspects AS (
    SELECT s.id AS lot_id FROM unnest(%(lot_ids)s::int[]) s(id)
     WHERE NOT EXISTS (SELECT 1 FROM reached r WHERE r.lot_id = s.id)
)
-- Consumption recorded in an MO still open is no genealogy edge yet (edges hold done
-- consumption only): read the open raw move lines of every lot in scope. Open lines
-- are few; the partial index stock_move_line_serial_open_lot_idx holds only them.
, open_use AS (
    SELECT ml.lot_id, ml.lot_produced_id, m.raw_material_production_id AS production_id,
           GREATEST(ml.product_qty, ml.qty_done) AS qty
      FROM stock_move_line ml
      JOIN stock_move m ON m.id = ml.move_id
      JOIN mrp_production mo ON mo.id = m.raw_material_production_id
     WHERE %(include_wip)s AND ml.state NOT IN ('done', 'cancel') AND ml.lot_id IS NOT NULL
       AND mo.state NOT IN ('done', 'cancel') AND mo.company_id = ANY(%(company_ids)s)
       AND (ml.lot_id = ANY(%(lot_ids)s) OR ml.lot_id IN (SELECT lot_id FROM reached))
)
, use_by_lot AS (
    SELECT lot_id, min(production_id) AS production_id, sum(qty) AS qty
      FROM open_use GROUP BY lot_id
)
-- Where a unit is: a serial is where its last done move took it, and its last
-- delivery says who has or had it: columns the addon keeps on the lot from the
-- host's done moves (as the genealogy trace reads them). A lot may be in several
-- places at once: its quants say how much is in our stock and at customers (the host
-- keeps quants in every location).
, located AS (
    SELECT u.root_lot_id, u.lot_id, u.parent_lot_id, u.depth, u.path, u.production_id,
           u.wip_output, lot.product_id, pt.uom_id, pt.tracking = 'lot' AS is_lot,
           COALESCE(use.production_id, CASE WHEN u.wip_output THEN u.production_id END)
               AS wip_production_id, use.qty AS use_qty,
           lot.current_location_id AS last_location_id, here.usage AS last_usage,
           lot.delivery_picking_id AS picking_id, lot.ship_date, lot.customer_id AS partner_id,
           -- evaluated for lots only: a CASE branch not taken runs no subquery
           CASE WHEN pt.tracking = 'lot' THEN (
                SELECT sum(q.quantity) FROM stock_quant q
                  JOIN stock_location l ON l.id = q.location_id
                   AND l.usage IN ('internal', 'transit')
                 WHERE q.lot_id = u.lot_id) END AS onhand_qty,
           CASE WHEN pt.tracking = 'lot' THEN (
                SELECT sum(q.quantity) FROM stock_quant q
                  JOIN stock_location l ON l.id = q.location_id AND l.usage = 'customer'
                 WHERE q.lot_id = u.lot_id) END AS customer_qty,
           CASE WHEN pt.tracking = 'lot' THEN (
                SELECT q.location_id FROM stock_quant q
                  JOIN stock_location l ON l.id = q.location_id
                   AND l.usage IN ('internal', 'transit')
                 WHERE q.lot_id = u.lot_id AND q.quantity > 0
                 ORDER BY q.quantity DESC, q.location_id LIMIT 1) END AS onhand_location_id
      FROM (SELECT root_lot_id, lot_id, parent_lot_id, depth, production_id, path,
                   FALSE AS wip_output
              FROM reached
            UNION ALL
            SELECT lot_id, lot_id, NULL::int, 0, NULL::int, ARRAY[lot_id], FALSE
              FROM suspects
            UNION ALL
            -- what an open MO is building from a unit in scope
            (SELECT DISTINCT ON (o.lot_produced_id)
                    s.root_lot_id, o.lot_produced_id, o.lot_id, s.depth + 1, o.production_id,
                    s.path || o.lot_produced_id, TRUE
               FROM open_use o
               JOIN (SELECT root_lot_id, lot_id, depth, path FROM reached
                     UNION ALL
                     SELECT lot_id, lot_id, 0, ARRAY[lot_id] FROM suspects) s
                 ON s.lot_id = o.lot_id
              WHERE o.lot_produced_id IS NOT NULL
                AND o.lot_produced_id <> ALL(%(lot_ids)s)
                AND NOT EXISTS (SELECT 1 FROM reached x WHERE x.lot_id = o.lot_produced_id)
              ORDER BY o.lot_produced_id, s.depth)) u
      JOIN stock_production_lot lot ON lot.id = u.lot_id
      JOIN product_product pp ON pp.id = lot.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
      LEFT JOIN use_by_lot use ON use.lot_id = u.lot_id
      LEFT JOIN stock_location here ON here.id = lot.current_location_id
)
, classified AS (
    SELECT c.*,
           CASE
               WHEN c.wip_output THEN 'in_production'
               WHEN c.wip_production_id IS NOT NULL
                    AND (NOT c.is_lot OR COALESCE(c.onhand_qty, 0) <= c.use_qty)
                   THEN 'in_production'
               WHEN c.is_lot AND c.onhand_qty > 0 THEN 'in_stock'
               WHEN c.is_lot AND c.customer_qty > 0 THEN 'shipped'
               WHEN c.last_usage IN ('internal', 'transit')
                   THEN CASE WHEN c.picking_id IS NULL THEN 'in_stock' ELSE 'returned' END
               WHEN c.last_usage = 'customer' THEN 'shipped'
               WHEN c.last_usage = 'production' THEN 'consumed'
               WHEN c.last_usage IS NOT NULL THEN 'scrapped'
           END AS status,
           CASE WHEN c.is_lot THEN COALESCE(c.customer_qty, 0) > 0
                ELSE c.last_usage IS NOT DISTINCT FROM 'customer' END AS at_customer
      FROM located c
)
, scope AS (
    SELECT c.root_lot_id, c.lot_id, c.parent_lot_id, c.depth, c.path, c.production_id,
           c.wip_production_id, c.product_id, c.status,
           CASE WHEN c.is_lot AND c.status IN ('in_stock', 'returned')
                THEN c.onhand_location_id ELSE c.last_location_id END AS location_id,
           c.partner_id, c.picking_id, c.ship_date, c.at_customer,
           CASE WHEN NOT c.is_lot THEN 1
                WHEN c.status IN ('in_stock', 'returned') THEN c.onhand_qty
                WHEN c.status = 'shipped' THEN c.customer_qty
                WHEN c.status = 'in_production' THEN COALESCE(NULLIF(c.use_qty, 0), 1)
           END AS qty,
           c.uom_id,
           CASE c.status """ + " ".join(
    "WHEN '%s' THEN '%s'" % item for item in sorted(ACTIONS.items())) + """ END AS action
      FROM classified c
     WHERE c.status IS NOT NULL
       -- A suspect lot used up is represented by the units it went into.
       AND (c.depth > 0 OR %(keep_used)s OR c.status NOT IN ('consumed', 'scrapped'))
       AND (c.depth > 0 OR %(include_suspect_stock)s OR c.status NOT IN ('in_stock', 'returned'))
       AND (%(include_shipped)s OR c.status <> 'shipped')
)
"""


def scope_cte():
    """``WITH RECURSIVE walk ..., ..., scope AS (...)``: follow it by a SELECT on
    ``scope`` (columns ``SCOPE_COLUMNS``, one row per affected unit)."""
    return genealogy_sql.walk_many_cte("forward") + _SCOPE


def scope_sql():
    """Every affected unit, one row each, columns ``SCOPE_COLUMNS``."""
    return scope_cte() + "SELECT " + ", ".join(SCOPE_COLUMNS) + " FROM scope"


# The path as the lots' names: "CAP-L7 → PCB-0042 → PUMP-0107".
PATH_TEXT = """
array_to_string(ARRAY(
    SELECT pl.name FROM unnest(s.path) WITH ORDINALITY AS p(id, n)
      JOIN stock_production_lot pl ON pl.id = p.id ORDER BY p.n), ' \u2192 ')"""


def insert_lines_sql():
    """Insert a recall's lines straight from the scope; parameters of the scope
    plus ``recall_id``. A unit already on the recall is skipped. (The line's
    quantity is in the product's unit; ``parent_lot_id`` and ``production_id`` are
    read from the path and the lot.)"""
    return scope_cte() + """
INSERT INTO serial_recall_line
    (recall_id, root_lot_id, lot_id, depth, path, wip_production_id, product_id, status,
     location_id, partner_id, picking_id, ship_date, at_customer, qty, action, recovered,
     recovered_unit, action_done)
SELECT %(recall_id)s, s.root_lot_id, s.lot_id, s.depth, """ + PATH_TEXT + """,
       s.wip_production_id, s.product_id, s.status, s.location_id, s.partner_id,
       s.picking_id, s.ship_date, s.at_customer, s.qty, s.action, FALSE, 0, FALSE
  FROM scope s
ON CONFLICT (recall_id, lot_id) DO NOTHING
"""


def preview_sql():
    """One row: ``total``, ``by_status`` (json {status: count}), ``customers``,
    ``shipments``, ``locations`` (distinct counts), ``top_customers`` (json list of
    {partner_id, name, units}), ``top_locations`` and ``sample`` (json list of
    units, deepest first) for the wizard's preview. Parameters of the scope plus
    ``sample_size`` and ``top_size`` (how many units and customers/locations)."""
    # One pass over the scope into a few groups (one per delivery and location,
    # roughly); every figure is read from the groups. Reading the scope once lets
    # PostgreSQL stream it instead of materialising every unit for each figure.
    return scope_cte() + """
, g AS (
    SELECT status, at_customer, partner_id, picking_id, location_id, depth, product_id,
           count(*) AS n, array_agg(lot_id ORDER BY lot_id) AS lot_ids
      FROM scope
     GROUP BY status, at_customer, partner_id, picking_id, location_id, depth, product_id
)
SELECT (SELECT COALESCE(sum(n), 0) FROM g)::int AS total,
       (SELECT json_object_agg(status, n) FROM
            (SELECT status, sum(n)::int AS n FROM g GROUP BY status) x) AS by_status,
       (SELECT count(DISTINCT partner_id) FROM g WHERE at_customer) AS customers,
       (SELECT count(DISTINCT picking_id) FROM g WHERE at_customer) AS shipments,
       (SELECT count(DISTINCT location_id) FROM g
         WHERE status IN ('in_stock', 'returned')) AS locations,
       (SELECT json_agg(x) FROM
            (SELECT c.partner_id, p.name, c.units FROM
                (SELECT partner_id, sum(n)::int AS units FROM g
                  WHERE at_customer GROUP BY partner_id
                  ORDER BY sum(n) DESC, partner_id LIMIT %(top_size)s) c
               JOIN res_partner p ON p.id = c.partner_id
              ORDER BY c.units DESC, p.name) x) AS top_customers,
       (SELECT json_agg(x) FROM
            (SELECT c.location_id, l.complete_name AS name, c.units FROM
                (SELECT location_id, sum(n)::int AS units FROM g
                  WHERE status IN ('in_stock', 'returned') GROUP BY location_id
                  ORDER BY sum(n) DESC, location_id LIMIT %(top_size)s) c
               JOIN stock_location l ON l.id = c.location_id
              ORDER BY c.units DESC, l.complete_name) x) AS top_locations,
       (SELECT json_agg(x) FROM
            (SELECT lot.name AS lot, pt.name AS product, s.depth, s.status,
                    p.name AS customer, pk.name AS delivery
               FROM (SELECT g.*, u.lot_id FROM g, unnest(g.lot_ids) AS u(lot_id)
                      ORDER BY g.depth DESC, u.lot_id LIMIT %(sample_size)s) s
               JOIN stock_production_lot lot ON lot.id = s.lot_id
               JOIN product_product pp ON pp.id = s.product_id
               JOIN product_template pt ON pt.id = pp.product_tmpl_id
               LEFT JOIN res_partner p ON p.id = s.partner_id AND s.at_customer
               LEFT JOIN stock_picking pk ON pk.id = s.picking_id AND s.at_customer
              ORDER BY s.depth DESC, lot.name) x) AS sample
"""


# No walk: every lot of ``lot_ids`` is read on its own, at depth 0 (the refresh).
_NO_WALK = """
WITH RECURSIVE walk(root_lot_id, lot_id, parent_lot_id, depth, production_id, path,
                    closes) AS (
    SELECT NULL::int, NULL::int, NULL::int, 0, NULL::int, NULL::int[], FALSE WHERE FALSE
)"""


def refresh_lines_sql():
    """Bring the lines of campaigns ``recall_ids`` for the units ``lot_ids`` to where
    those units are now (after quarantine, a return, a re-shipment): the scope's own
    reading of each unit, without the walk (path, depth and action stay as found).
    Parameters of the scope (``keep_used`` and the ``include_*`` true) plus
    ``recall_ids``."""
    return _NO_WALK + _SCOPE + """
UPDATE serial_recall_line l
   SET status = s.status, location_id = s.location_id, partner_id = s.partner_id,
       picking_id = s.picking_id, ship_date = s.ship_date, at_customer = s.at_customer,
       qty = s.qty, wip_production_id = s.wip_production_id
  FROM scope s
 WHERE l.recall_id = ANY(%(recall_ids)s) AND l.lot_id = s.lot_id
   AND (l.status, l.location_id, l.partner_id, l.picking_id, l.ship_date, l.at_customer,
        l.qty, l.wip_production_id)
       IS DISTINCT FROM
       (s.status, s.location_id, s.partner_id, s.picking_id, s.ship_date, s.at_customer,
        s.qty, s.wip_production_id)
"""

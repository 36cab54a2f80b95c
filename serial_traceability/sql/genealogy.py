"""SQL text of the genealogy engine, host-free.

The graph is one row per consumed move line: component lot -> produced lot, through
an MO. It lives in ``serial_genealogy_edge``, filled by a trigger on the host's
``stock_move_line`` so that every write path (ORM, import, raw SQL) keeps it exact
and nothing has to remember to call us. A compact table with covering indexes is
what makes the recursive walk an index-only affair; the same walk on the host's
move lines needs a join to ``stock_move`` and a heap fetch per step.

Every statement takes parameters only (``%(name)s``); nothing is formatted in.
"""

EDGE_TABLE = "serial_genealogy_edge"

# The rows a done consumption move line stands for; also the install's backfill
# (``install_sql.LINKS``).
EDGE_SOURCE = """
    SELECT ml.id AS move_line_id, ml.lot_id AS component_lot_id,
           ml.lot_produced_id AS parent_lot_id, m.raw_material_production_id AS production_id,
           m.company_id AS company_id, ml.product_id AS product_id,
           ml.qty_done AS qty, ml.date AS date
      FROM stock_move_line ml
      JOIN stock_move m ON m.id = ml.move_id
     WHERE ml.state = 'done' AND ml.lot_id IS NOT NULL AND ml.lot_produced_id IS NOT NULL
       AND m.raw_material_production_id IS NOT NULL
"""

SYNC_FUNCTION = """
CREATE OR REPLACE FUNCTION serial_genealogy_sync() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM serial_genealogy_edge WHERE move_line_id = OLD.id;
        RETURN OLD;
    END IF;
    IF NEW.state = 'done' AND NEW.lot_id IS NOT NULL AND NEW.lot_produced_id IS NOT NULL THEN
        INSERT INTO serial_genealogy_edge
            (move_line_id, component_lot_id, parent_lot_id, production_id, company_id,
             product_id, qty, date, active)
        SELECT NEW.id, NEW.lot_id, NEW.lot_produced_id, m.raw_material_production_id,
               m.company_id, NEW.product_id, NEW.qty_done, NEW.date, TRUE
          FROM stock_move m
         WHERE m.id = NEW.move_id AND m.raw_material_production_id IS NOT NULL
        ON CONFLICT (move_line_id) DO UPDATE
           SET component_lot_id = EXCLUDED.component_lot_id,
               parent_lot_id = EXCLUDED.parent_lot_id,
               product_id = EXCLUDED.product_id,
               qty = EXCLUDED.qty;
    ELSE
        DELETE FROM serial_genealogy_edge WHERE move_line_id = NEW.id;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
"""

SYNC_TRIGGER = """
DROP TRIGGER IF EXISTS serial_genealogy_sync ON stock_move_line;
CREATE TRIGGER serial_genealogy_sync
    AFTER INSERT OR DELETE OR UPDATE OF state, lot_id, lot_produced_id, qty_done
    ON stock_move_line FOR EACH ROW EXECUTE PROCEDURE serial_genealogy_sync()
"""

# INCLUDE makes each walk step an index-only scan.
INDEXES = (
    "CREATE INDEX IF NOT EXISTS serial_genealogy_edge_forward_idx"
    " ON serial_genealogy_edge (component_lot_id)"
    " INCLUDE (parent_lot_id, production_id, company_id) WHERE active",
    "CREATE INDEX IF NOT EXISTS serial_genealogy_edge_backward_idx"
    " ON serial_genealogy_edge (parent_lot_id)"
    " INCLUDE (component_lot_id, production_id, company_id) WHERE active",
    "CREATE INDEX IF NOT EXISTS serial_genealogy_edge_production_idx"
    " ON serial_genealogy_edge (production_id)",
    # The host has no index on its move lines but the primary key: where a unit is
    # now, and who received it, are per-lot lookups. INCLUDE makes them index-only
    # (an index made by an earlier version without it is replaced).
    "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_indexes"
    " WHERE indexname = 'stock_move_line_serial_lot_date_idx'"
    " AND indexdef NOT LIKE '%INCLUDE%') THEN"
    " DROP INDEX stock_move_line_serial_lot_date_idx; END IF; END $$",
    "CREATE INDEX IF NOT EXISTS stock_move_line_serial_lot_date_idx"
    " ON stock_move_line (lot_id, date DESC, id DESC) INCLUDE (location_dest_id, picking_id)"
    " WHERE state = 'done'",
)

# {root*}: the many-roots walk (below) also carries the root each row came from.
# ``closes``: the link leads back into a lot already on its path (a rework cycle).
# It is reported -- that lot really was rebuilt from this one -- but not followed,
# which is what ends the walk; links back into the root are left out by the
# closures below (the lot itself is not part of its trace).
_WALK_TEMPLATE = """
WITH RECURSIVE walk({root_column}lot_id, parent_lot_id, depth, production_id, path,
                    closes) AS (
    SELECT {root_seed}e.{next}, e.{this}, 1, e.production_id, ARRAY[e.{this}, e.{next}],
           e.{next} = e.{this}
      FROM serial_genealogy_edge e
     WHERE e.{this} {seed} AND e.active AND e.company_id = ANY(%(company_ids)s)
    UNION ALL
    SELECT {root_step}e.{next}, e.{this}, w.depth + 1, e.production_id, w.path || e.{next},
           e.{next} = ANY(w.path)
      FROM walk w
      -- one index probe per reached lot (OFFSET 0 keeps the planner from turning
      -- the step into a merge join over the whole index, as it does when it
      -- guesses the work table large)
      CROSS JOIN LATERAL (
            SELECT e.{next}, e.{this}, e.production_id FROM serial_genealogy_edge e
             WHERE e.{this} = w.lot_id AND e.active AND e.company_id = ANY(%(company_ids)s)
            OFFSET 0) e
     WHERE NOT w.closes
       AND (%(max_depth)s::int IS NULL OR w.depth < %(max_depth)s::int)
)
"""
_COLUMNS = {"forward": {"this": "component_lot_id", "next": "parent_lot_id"},
            "backward": {"this": "parent_lot_id", "next": "component_lot_id"}}


def _walk_cte(direction, many):
    if direction not in _COLUMNS:
        raise ValueError("direction must be 'forward' or 'backward', not %r" % (direction,))
    columns = _COLUMNS[direction]
    if many:
        roots = {"root_column": "root_lot_id, ", "root_seed": "e.%s, " % columns["this"],
                 "root_step": "w.root_lot_id, ", "seed": "= ANY(%(lot_ids)s)"}
    else:
        roots = {"root_column": "", "root_seed": "", "root_step": "", "seed": "= %(lot_id)s"}
    return _WALK_TEMPLATE.format(**dict(columns, **roots))


# A path array, not UNION, stops cycles (returns, rework, self-referencing BOMs):
# UNION cannot dedupe rows that carry a growing depth. Each link is reported once,
# at the shortest depth of the lot it leaves from plus one: the same rows as a
# breadth-first search that expands every lot once, which is what the kept forward
# closure (``genealogy_reach_sql``) maintains.
CLOSURE = """
SELECT DISTINCT ON (lot_id, parent_lot_id, production_id)
       lot_id, parent_lot_id, depth, production_id
  FROM walk
 WHERE lot_id <> %(lot_id)s
 ORDER BY lot_id, parent_lot_id, production_id, depth
"""


def _walk_body(direction):
    return _walk_cte(direction, many=False) + CLOSURE


# Where each unit is now and who received it last, from the lot row: the addon keeps
# these columns (``current_location_id``, ``delivery_picking_id``, ``customer_id``,
# ``ship_date``) from the host's done moves. Reading them is one primary-key probe per
# reached lot instead of two probes into the host's move lines. OFFSET 0 fences keep
# the probes: the planner guesses the recursive result huge and would otherwise hash
# the whole lot table, or probe the location table once per lot
# (``benchmarks/genealogy.py`` measures the forms).
_STATUS = """
SELECT {lead}x.lot_id, x.parent_lot_id, x.depth, x.production_id, x.product_id,
       x.location_id, loc.usage AS location_usage, x.partner_id, x.picking_id, x.ship_date
  FROM (SELECT c.*, lot.*
          FROM ({closure}) c
         CROSS JOIN LATERAL (
               SELECT l.product_id, l.current_location_id AS location_id,
                      l.customer_id AS partner_id, l.delivery_picking_id AS picking_id,
                      l.ship_date
                 FROM stock_production_lot l WHERE l.id = c.lot_id OFFSET 0) lot
        OFFSET 0) x
  LEFT JOIN stock_location loc ON loc.id = x.location_id
"""


def _with_status(closure, lead=""):
    """``closure`` (rows with ``lot_id``) with each reached unit's status columns."""
    return _STATUS.format(closure=closure, lead=lead)


TRACE_COLUMNS = ("lot_id", "parent_lot_id", "depth", "production_id", "product_id",
                 "location_id", "location_usage", "partner_id", "picking_id", "ship_date")


def _trace_body(direction):
    return _walk_cte(direction, many=False) + _with_status(CLOSURE)


# The forward closure as ``genealogy_reach_sql`` keeps it: the same rows as the walk
# over every company's links, read in one index range instead of one probe per link.
REACH = """
SELECT r.lot_id, r.parent_lot_id, r.depth, r.production_id
  FROM serial_genealogy_reach r
 WHERE r.root_lot_id = %(lot_id)s AND r.lot_id <> %(lot_id)s
   AND (%(max_depth)s::int IS NULL OR r.depth <= %(max_depth)s::int)
"""


# -- the single-root queries as database functions ------------------------------
# ``walk_sql``/``trace_sql`` call these instead of sending the recursive text. Two
# reasons, both measured (``benchmarks/genealogy.py``): a function carries its own
# ``SET jit = off`` -- the recursive query's cost estimate (the planner guesses ten
# levels of a large work table) makes PostgreSQL >= 11 JIT-compile it, which took
# 3.5 s of a 4.7 s trace; and its statements are planned once, generically, as the
# index probes they are.
WALK_RESULT = ("lot_id integer, parent_lot_id integer, depth integer,"
               " production_id integer")
TRACE_RESULT = (WALK_RESULT + ", product_id integer, location_id integer,"
                " location_usage varchar, partner_id integer, picking_id integer,"
                " ship_date timestamp")
_ARGUMENTS = (("%(lot_id)s", "$1"), ("%(company_ids)s", "$2"),
              ("%(max_depth)s::int", "$3"), ("%(max_depth)s", "$3"))
_CALL = "SELECT * FROM serial_genealogy_{kind}_{direction}(" \
        "%(lot_id)s, %(company_ids)s::int[], %(max_depth)s::int)"


def has_jit(server_version_num):
    """Whether the server JIT-compiles queries (PostgreSQL 11 and later): the recursive
    walk's guessed cost has it compile queries that then cost more than they run."""
    return server_version_num >= 110000


def bind(sql, arguments):
    """``sql`` with each named parameter of ``arguments`` (pairs of placeholder and
    argument) replaced by a function's argument, for a function body."""
    for placeholder, argument in arguments:
        sql = sql.replace(placeholder, argument)
    return sql


def _function_name(kind, direction):
    if direction not in ("forward", "backward"):
        raise ValueError("direction must be 'forward' or 'backward', not %r" % (direction,))
    if kind.startswith("reach") and direction != "forward":
        raise ValueError("only the forward closure is kept")
    return "serial_genealogy_%s_%s" % (kind, direction)


def _function_bodies():
    """(function name, SQL body, result columns) of every trace function."""
    for direction in ("forward", "backward"):
        yield _function_name("walk", direction), _walk_body(direction), WALK_RESULT
        yield _function_name("trace", direction), _trace_body(direction), TRACE_RESULT
    yield _function_name("reach", "forward"), REACH, WALK_RESULT
    yield _function_name("reach_trace", "forward"), _with_status(REACH), TRACE_RESULT


# A trace reads each reached unit's status columns by its id: with them in the index,
# the probe does not visit the lot's (wide) row. Measured on the genealogy benchmark's
# trace (75,000 rows): 0.31 s without, 0.27 s with.
STATUS_INDEX = (
    "CREATE INDEX IF NOT EXISTS stock_production_lot_serial_status_idx"
    " ON stock_production_lot (id) INCLUDE (product_id, current_location_id,"
    " customer_id, delivery_picking_id, ship_date)")


def function_ddl(server_version_num):
    """Statements (re)creating the functions that ``walk_sql``/``trace_sql`` call
    (and the index their status probe reads); ``SET jit`` only where the server knows
    it (PostgreSQL 11 and later)."""
    # work_mem: the closure's dedupe of tens of thousands of rows sorts in memory
    options = " SET work_mem = '64MB'"
    if has_jit(server_version_num):
        options += " SET jit = off"
    statements = [STATUS_INDEX]
    for name, body, result in _function_bodies():
        body = bind(body, _ARGUMENTS)
        statements.append("DROP FUNCTION IF EXISTS %s(integer, integer[], integer)" % name)
        statements.append(
            "CREATE FUNCTION %s(integer, integer[], integer) RETURNS TABLE (%s)"
            " LANGUAGE sql STABLE%s AS $fn$%s$fn$" % (name, result, options, body))
    return statements


def drop_ddl():
    """Statements removing what this module made outside the ORM's tables: left
    behind at uninstall, the trigger on the host's move lines would fail every done
    line once the link table is gone."""
    statements = ["DROP TRIGGER IF EXISTS serial_genealogy_sync ON stock_move_line",
                  "DROP FUNCTION IF EXISTS serial_genealogy_sync()"]
    statements += ["DROP FUNCTION IF EXISTS %s(integer, integer[], integer)" % name
                   for name, _body, _result in _function_bodies()]
    return statements


def walk_sql(direction, kept=False):
    """The closure for ``'forward'`` (where-used: component to the units it went
    into) or ``'backward'`` (where-from): columns ``lot_id, parent_lot_id, depth,
    production_id``; parameters ``lot_id``, ``company_ids``, ``max_depth``.
    ``kept``: read the kept forward closure instead of walking; it holds every
    company's links, so only for a user who may see every company."""
    kind = "reach" if kept else "walk"
    _function_name(kind, direction)
    return _CALL.format(kind=kind, direction=direction)


def trace_sql(direction, kept=False):
    """The closure of ``walk_sql`` with, per reached unit, its product, current
    location (and that location's usage) and its last delivery to a customer:
    columns ``TRACE_COLUMNS``."""
    kind = "reach_trace" if kept else "trace"
    _function_name(kind, direction)
    return _CALL.format(kind=kind, direction=direction)


# -- many roots at once ---------------------------------------------------------
# A recall starts from several suspect lots. One walk seeded with all of them (``=
# ANY(%(lot_ids)s)``) reads each edge once per root instead of running the query once
# per lot; every row remembers the root it came from and its path from that root.
#
# One row per reached unit, whichever root and path reached it first (shortest).
UNIT_CLOSURE_MANY = """
SELECT DISTINCT ON (lot_id)
       root_lot_id, lot_id, parent_lot_id, depth, production_id, path
  FROM walk
 WHERE lot_id <> root_lot_id
 ORDER BY lot_id, depth, root_lot_id
"""


def walk_many_cte(direction):
    """Only the ``WITH RECURSIVE walk(root_lot_id, lot_id, parent_lot_id, depth,
    production_id, path)`` clause of the many-roots walk, for callers that add their
    own CTEs (start them with a comma) and final SELECT. Parameters: ``lot_ids``
    (list of root ids), ``company_ids``, ``max_depth``. ``path`` is the array of lot
    ids from the root to the row's lot, both included; ``closes`` says the link leads
    back into a lot of its path (not followed further; filter ``lot_id <>
    root_lot_id`` to leave out links back into a root)."""
    return _walk_cte(direction, many=True)

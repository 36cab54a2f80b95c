"""The kept forward closure of the genealogy graph, host-free.

``serial_genealogy_reach`` holds, for every lot that went into something (the
*root*), every link reachable from it: ``(root, lot, parent lot, MO, depth)`` with
the depth of the link's lower lot on a shortest path from the root, plus one --
the rows the walk of ``genealogy_sql`` returns for that root over every company's
active links. A forward trace is then one index range instead of one index probe
per reached link (``benchmarks/genealogy.py``: the walk's probes are most of a
trace's time at full scale).

It is kept by a trigger on ``serial_genealogy_edge``:

- a new active link ``c -> p`` is added to every root that reaches ``c`` (and to
  ``c`` itself), together with everything ``p`` reaches, at the roots' distance to
  ``c`` plus one plus their depth from ``p``; a shorter depth replaces a longer one.
  That is the breadth-first distance update, right with rework cycles too (a
  shortest path uses the new link at most once). Building a unit costs one row per
  lot below it;
- a link retired (unbuild), removed or moved makes its roots -- the lot it left
  from and every root that reaches that lot -- be rebuilt from the walk: distances
  can grow when a link goes, which no local update can tell.

Concurrency: the first change of the closure in a transaction bumps the one row of
``serial_genealogy_reach_state``. Its row lock makes transactions that change links
take turns, as the audit chain already does for done move lines; under Odoo's
REPEATABLE READ a transaction whose snapshot predates another's change gets a
serialization failure there (Odoo retries the request) instead of computing rows
from links it cannot see -- two MOs posting at once into the same lot would
otherwise each miss the other's link.

Rows include the links that lead back into the root (a rework cycle); the readers
leave them out, as the walk does. Every statement takes parameters only.
"""

from . import genealogy as genealogy_sql

TABLE = """
CREATE TABLE IF NOT EXISTS serial_genealogy_reach (
    root_lot_id integer NOT NULL,
    lot_id integer NOT NULL,
    parent_lot_id integer NOT NULL,
    production_id integer NOT NULL,
    depth integer NOT NULL,
    CONSTRAINT serial_genealogy_reach_pkey
        PRIMARY KEY (root_lot_id, lot_id, parent_lot_id, production_id) INCLUDE (depth)
)
"""

STATE_TABLE = """
CREATE TABLE IF NOT EXISTS serial_genealogy_reach_state (
    id integer PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO serial_genealogy_reach_state (id, version) VALUES (1, 0) ON CONFLICT DO NOTHING
"""

# Which roots reach a lot, and how far: the roots a new or retired link touches.
INDEXES = (
    "CREATE INDEX IF NOT EXISTS serial_genealogy_reach_lot_idx"
    " ON serial_genealogy_reach (lot_id) INCLUDE (root_lot_id, depth)",
)

ADD_FUNCTION = """
CREATE OR REPLACE FUNCTION serial_genealogy_reach_add(c0 integer, p0 integer, mo integer)
RETURNS void AS $$
    INSERT INTO serial_genealogy_reach AS r
           (root_lot_id, lot_id, parent_lot_id, production_id, depth)
    SELECT a.root_lot_id, s.lot_id, s.parent_lot_id, s.production_id, min(a.dist + s.depth)
      FROM (SELECT c0 AS root_lot_id, 0 AS dist
            UNION ALL
            SELECT root_lot_id, depth FROM serial_genealogy_reach WHERE lot_id = c0) a
     CROSS JOIN (SELECT p0 AS lot_id, c0 AS parent_lot_id, mo AS production_id, 1 AS depth
                 UNION ALL
                 SELECT lot_id, parent_lot_id, production_id, depth + 1
                   FROM serial_genealogy_reach WHERE root_lot_id = p0) s
     GROUP BY 1, 2, 3, 4
    ON CONFLICT (root_lot_id, lot_id, parent_lot_id, production_id)
    DO UPDATE SET depth = EXCLUDED.depth WHERE r.depth > EXCLUDED.depth
$$ LANGUAGE sql
"""

# Rebuilt from the walk over every company's active links; rows into the root kept.
_REBUILD_BODY = """
    DELETE FROM serial_genealogy_reach WHERE root_lot_id = ANY(roots);
    INSERT INTO serial_genealogy_reach
           (root_lot_id, lot_id, parent_lot_id, production_id, depth)
    {walk}
    SELECT DISTINCT ON (root_lot_id, lot_id, parent_lot_id, production_id)
           root_lot_id, lot_id, parent_lot_id, production_id, depth
      FROM walk
     WHERE production_id IS NOT NULL  -- links always have one; the trigger skips others
     ORDER BY root_lot_id, lot_id, parent_lot_id, production_id, depth;
"""

FORGET_FUNCTION = """
CREATE OR REPLACE FUNCTION serial_genealogy_reach_forget(c0 integer) RETURNS void AS $$
    SELECT serial_genealogy_reach_rebuild(
        array_append(ARRAY(SELECT DISTINCT root_lot_id FROM serial_genealogy_reach
                            WHERE lot_id = c0 AND root_lot_id <> c0), c0))
$$ LANGUAGE sql
"""

SYNC_FUNCTION = """
CREATE OR REPLACE FUNCTION serial_genealogy_reach_sync() RETURNS trigger AS $$
DECLARE
    gone boolean := FALSE;
    came boolean := FALSE;
BEGIN
    IF TG_OP = 'DELETE' THEN
        gone := OLD.active AND OLD.company_id IS NOT NULL;
    ELSIF TG_OP = 'INSERT' THEN
        came := NEW.active AND NEW.company_id IS NOT NULL AND NEW.production_id IS NOT NULL;
    ELSIF (OLD.active, OLD.company_id IS NULL, OLD.component_lot_id, OLD.parent_lot_id,
           OLD.production_id) IS DISTINCT FROM (NEW.active, NEW.company_id IS NULL,
           NEW.component_lot_id, NEW.parent_lot_id, NEW.production_id) THEN
        gone := OLD.active AND OLD.company_id IS NOT NULL;
        came := NEW.active AND NEW.company_id IS NOT NULL AND NEW.production_id IS NOT NULL;
    END IF;
    -- once per transaction: a row updated again and again in one transaction keeps
    -- every version, and each update walks them all (a bulk load would be quadratic)
    IF (gone OR came) AND current_setting('serial_genealogy.reach_turn', TRUE)
            IS DISTINCT FROM 'taken' THEN
        UPDATE serial_genealogy_reach_state SET version = version + 1 WHERE id = 1;
        PERFORM set_config('serial_genealogy.reach_turn', 'taken', TRUE);
    END IF;
    IF gone THEN
        PERFORM serial_genealogy_reach_forget(OLD.component_lot_id);
    END IF;
    IF came THEN
        PERFORM serial_genealogy_reach_add(NEW.component_lot_id, NEW.parent_lot_id,
                                           NEW.production_id);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""

SYNC_TRIGGER = """
DROP TRIGGER IF EXISTS serial_genealogy_reach_sync ON serial_genealogy_edge;
CREATE TRIGGER serial_genealogy_reach_sync
    AFTER INSERT OR DELETE OR UPDATE ON serial_genealogy_edge
    FOR EACH ROW EXECUTE PROCEDURE serial_genealogy_reach_sync()
"""

# At uninstall: the trigger goes with its function, the table with nothing else.
DROP = (
    "DROP FUNCTION IF EXISTS serial_genealogy_reach_sync() CASCADE",
    "DROP FUNCTION IF EXISTS serial_genealogy_reach_forget(integer)",
    "DROP FUNCTION IF EXISTS serial_genealogy_reach_add(integer, integer, integer)",
    "DROP FUNCTION IF EXISTS serial_genealogy_reach_rebuild(integer[])",
    "DROP TABLE IF EXISTS serial_genealogy_reach",
    "DROP TABLE IF EXISTS serial_genealogy_reach_state",
)


def rebuild_function(server_version_num):
    """The rebuild function: the many-roots walk of ``genealogy_sql`` over every
    company, without a depth limit. ``SET jit = off`` where the server knows it: the
    recursive query's guessed cost would have it JIT-compiled for a handful of rows."""
    walk = genealogy_sql.bind(genealogy_sql.walk_many_cte("forward"), (
        ("%(lot_ids)s", "roots"), ("%(company_ids)s", "companies"),
        ("%(max_depth)s::int", "NULL::int")))
    options = " SET jit = off" if genealogy_sql.has_jit(server_version_num) else ""
    return ("CREATE OR REPLACE FUNCTION serial_genealogy_reach_rebuild(roots integer[])"
            " RETURNS void%s AS $$ DECLARE companies integer[] :="
            " ARRAY(SELECT id FROM res_company); BEGIN %s END $$ LANGUAGE plpgsql"
            % (options, _REBUILD_BODY.format(walk=walk)))


def ddl(server_version_num):
    """Statements creating the table, its indexes, functions and trigger; the
    rebuild function before the functions that call it."""
    return [TABLE, STATE_TABLE] + list(INDEXES) + [
        rebuild_function(server_version_num), ADD_FUNCTION, FORGET_FUNCTION, SYNC_FUNCTION,
        SYNC_TRIGGER]

"""SQL text of the install backfills, host-free.

Installing the addon into a database with years of history derives, from the host's
done move lines, what the addon keeps as they happen: each lot's company, its unit
fields, its stored warranty and quality columns, the genealogy links and the kept
forward closure. Every statement here is one set-based pass (sorts and hash joins,
or a range of the primary key), never a subquery per lot: the host has no index on
``stock_move_line.lot_id`` and a per-lot probe over millions of lines is quadratic.

*Unreadable* history is left out and reported: a move line whose lot belongs to
another product (it would link or place a unit under the wrong product). Every
statement takes parameters only.
"""
import re

# A move line the install can read: its lot, if any, is a lot of its product.
READABLE = ("NOT EXISTS (SELECT 1 FROM stock_production_lot rl"
            " WHERE rl.id = ml.lot_id AND rl.product_id <> ml.product_id)")

UNREADABLE_LINES = """
SELECT ml.id FROM stock_move_line ml
  JOIN stock_production_lot l ON l.id = ml.lot_id
 WHERE ml.state = 'done' AND l.product_id <> ml.product_id
 ORDER BY ml.id
"""

# The lot columns are computed into work tables (temporary, dropped at commit) and
# written in one pass at the end (``LOT_WRITE``): every UPDATE of a lot writes a new
# row version into every index of the table, and once a transaction has updated a
# row, its next update of that row re-checks every foreign key of it.
WORK_TABLES = {
    "serial_install_lot_company": "lot_id integer, company_id integer",
    "serial_install_lot_warranty": "lot_id integer, warranty_start date",
    "serial_install_lot_unit": "lot_id integer, production_id integer, supplier_id integer,"
                               " customer_id integer, ship_date timestamp,"
                               " unit_state varchar, delivery_picking_id integer,"
                               " current_location_id integer",
}
WORK_TABLE = "CREATE TEMP TABLE {name} ({columns}) ON COMMIT DROP"
LOT_TABLE = "serial_install_lot"

# Lots made before install belong to the company of their first move, else to their
# product's. One pass: the first readable line of every lot, by a sort.
LOT_COMPANY = """
INSERT INTO serial_install_lot_company (lot_id, company_id)
SELECT l.id, COALESCE(f.company_id, pt.company_id)
  FROM stock_production_lot l
  JOIN product_product pp ON pp.id = l.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  LEFT JOIN (SELECT DISTINCT ON (ml.lot_id) ml.lot_id, m.company_id
               FROM stock_move_line ml
               JOIN stock_move m ON m.id = ml.move_id
              WHERE ml.lot_id IS NOT NULL AND {readable}
              ORDER BY ml.lot_id, ml.id) f ON f.lot_id = l.id
 WHERE l.company_id IS NULL
""".format(readable=READABLE)

# What the company backfill could not place: no readable move, no product company.
LOTS_WITHOUT_COMPANY = """
SELECT lot_id FROM serial_install_lot_company WHERE company_id IS NULL ORDER BY lot_id
"""

# ``warranty_start``: the UTC day of the unit's first done delivery to a customer.
WARRANTY_START = """
INSERT INTO serial_install_lot_warranty (lot_id, warranty_start)
SELECT ml.lot_id, min(ml.date)::date
  FROM stock_move_line ml
  JOIN stock_location dst ON dst.id = ml.location_dest_id
 WHERE ml.state = 'done' AND ml.lot_id IS NOT NULL AND dst.usage = 'customer'
   AND {readable}
 GROUP BY ml.lot_id
""".format(readable=READABLE)

# The work tables as one, by lot ({tables}: the ones this install filled, joined).
LOT_MERGE = """
CREATE TEMP TABLE serial_install_lot ON COMMIT DROP AS
SELECT * FROM {tables};
CREATE INDEX ON serial_install_lot (lot_id);
ANALYZE serial_install_lot
"""

# One write of every lot the install has values for, a range of ids at a time
# ({columns}: ``column = v.column`` of the work tables filled).
LOT_WRITE = """
UPDATE stock_production_lot l SET {columns}
  FROM serial_install_lot v
 WHERE l.id = v.lot_id AND v.lot_id >= %(first)s AND v.lot_id < %(stop)s
"""

# ``warranty_end``: the last covered day, ``warranty_months`` after the start.
WARRANTY_END = """
UPDATE stock_production_lot l
   SET warranty_end = (l.warranty_start + make_interval(months => pt.warranty_months)
                       - interval '1 day')::date
  FROM product_product pp
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
 WHERE pp.id = l.product_id AND l.warranty_start IS NOT NULL AND pt.warranty_months > 0
"""

# ``quality_state`` of lots without any quality event: the column is created with
# 'untested' as its default for the rows already there (no rewrite of the table,
# PostgreSQL 11 and later); held units, and lots left empty, are set here.
# Stored computed lot columns whose value is the same for every lot there at install
# (no quality event, no release flag or date exists yet): a column default, not a
# rewrite of the table (PostgreSQL 11 and later) nor a computation lot by lot.
INSTALL_DEFAULTS = {"quality_state": "untested", "release_state": "not_required"}


def column_with_default_sql(name, column_type):
    """Add the lot column ``name`` with the default for the rows there (parameter:
    ``INSTALL_DEFAULTS[name]``), then drop the default."""
    assert name in INSTALL_DEFAULTS, name
    return ["ALTER TABLE stock_production_lot ADD COLUMN %s %s DEFAULT %%s"
            % (_identifier(name), _identifier(column_type.lower())),
            "ALTER TABLE stock_production_lot ALTER COLUMN %s DROP DEFAULT"
            % _identifier(name)]


QUALITY_STATE = """
UPDATE stock_production_lot l
   SET quality_state = CASE WHEN l.quality_hold THEN 'on_hold' ELSE 'untested' END
 WHERE l.quality_state IS NULL OR (l.quality_hold AND l.quality_state <> 'on_hold')
"""

# Indexes a bulk fill drops and builds again after it (one sort instead of an entry
# per written row): the plain ones on the columns it writes.
INDEXES_ON = """
SELECT i.relname, pg_get_indexdef(x.indexrelid)
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_class t ON t.oid = x.indrelid
 WHERE t.relname = %(table)s AND t.relnamespace = current_schema()::regnamespace
   AND NOT x.indisunique AND NOT x.indisprimary
   AND EXISTS (SELECT 1 FROM pg_attribute a
                WHERE a.attrelid = t.oid AND a.attnum = ANY(x.indkey)
                  AND a.attname = ANY(%(columns)s))
 ORDER BY 1
"""

# The genealogy links of a range of move line ids (the primary key: each chunk reads
# its part of the table once), readable lines only.
LINKS = """
INSERT INTO serial_genealogy_edge
    (move_line_id, component_lot_id, parent_lot_id, production_id, company_id,
     product_id, qty, date, active)
SELECT src.*, TRUE FROM ({source}
       AND ml.id >= %(first)s AND ml.id < %(stop)s AND {readable}) src
ON CONFLICT (move_line_id) DO NOTHING
"""

# The first id of every ``chunk`` rows of a table, in id order: ranges of equal size
# however sparse the ids, so progress counts rows. One scan of the primary key.
CHUNK_STARTS = """
SELECT id, n FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM {table}) x
 WHERE n %% %(chunk)s = 1 ORDER BY id
"""
CHUNKED_TABLES = ("stock_move_line", "stock_production_lot")

# Unbuilt units: the links into a unit are retired by the first done unbuild of its
# MO and lot that, with the earlier ones, takes out all that MO made of the lot --
# what ``serial.genealogy.edge._mark_unbuilt`` does as each unbuild is done.
UNBUILT = """
WITH undone AS (
    SELECT u.id, u.mo_id, u.lot_id,
           sum(u.product_qty) OVER (PARTITION BY u.mo_id, u.lot_id ORDER BY u.id) AS so_far
      FROM mrp_unbuild u
     WHERE u.state = 'done' AND u.mo_id IS NOT NULL AND u.lot_id IS NOT NULL
), made AS (
    SELECT m.production_id AS mo_id, ml.lot_id, sum(ml.qty_done) AS qty
      FROM (SELECT DISTINCT mo_id, lot_id FROM undone) d
      JOIN stock_move m ON m.production_id = d.mo_id
      JOIN stock_move_line ml ON ml.move_id = m.id AND ml.lot_id = d.lot_id
     WHERE ml.state = 'done'
     GROUP BY 1, 2
), retired_by AS (
    SELECT DISTINCT ON (d.mo_id, d.lot_id) d.id, d.mo_id, d.lot_id
      FROM undone d
      LEFT JOIN made ON made.mo_id = d.mo_id AND made.lot_id = d.lot_id
     WHERE d.so_far >= COALESCE(made.qty, 0)
     ORDER BY d.mo_id, d.lot_id, d.id
)
UPDATE serial_genealogy_edge e SET active = FALSE, unbuild_id = r.id
  FROM retired_by r
 WHERE e.production_id = r.mo_id AND e.parent_lot_id = r.lot_id AND e.active
"""

# The roots of the kept closure: every lot that went into something (as its trigger
# counts links: active, with a company).
CLOSURE_ROOTS = """
SELECT DISTINCT component_lot_id FROM serial_genealogy_edge
 WHERE active AND company_id IS NOT NULL ORDER BY 1
"""

CLOSURE_FILL = "SELECT serial_genealogy_reach_rebuild(%(roots)s::int[])"

REACH_TRIGGER = "ALTER TABLE serial_genealogy_edge {action} TRIGGER serial_genealogy_reach_sync"


EDGE_COLUMNS = ("move_line_id", "component_lot_id", "parent_lot_id", "production_id",
                "company_id", "product_id", "qty", "date", "active", "unbuild_id")


def work_columns(definition):
    """The value columns of a WORK_TABLES definition (``lot_id`` is the key)."""
    names = [part.split()[0] for part in definition.split(",")]
    return [name for name in names if name != "lot_id"]


def set_columns(columns):
    """LOT_WRITE's SET list: a lot keeps a company it has."""
    return ", ".join("company_id = COALESCE(v.company_id, l.company_id)"
                     if column == "company_id" else "%s = v.%s" % (column, column)
                     for column in columns)


def links_sql(edge_source):
    """The links statement for ``genealogy_sql.EDGE_SOURCE`` (whose WHERE it extends)."""
    return LINKS.format(source=edge_source, readable=READABLE)


def _identifier(name):
    if not re.match(r"^[a-z_][a-z0-9_]*$", name or ""):
        raise ValueError("not an identifier: %r" % (name,))
    return name


def table_size_sql(table):
    """Greatest id and row count of one of CHUNKED_TABLES."""
    if table not in CHUNKED_TABLES:
        raise ValueError("not a table the install reads in chunks: %r" % (table,))
    return "SELECT max(id), count(*) FROM %s" % table


def work_table_sql(name):
    """Statements (re)creating work table ``name`` of WORK_TABLES, empty."""
    return ["DROP TABLE IF EXISTS %s" % _identifier(name),
            WORK_TABLE.format(name=name, columns=WORK_TABLES[name])]


def drop_table_sql(name):
    """Drop a work table (WORK_TABLES or LOT_TABLE)."""
    if name not in WORK_TABLES and name != LOT_TABLE:
        raise ValueError("not a work table of the install: %r" % (name,))
    return "DROP TABLE IF EXISTS %s" % name


def drop_index_sql(name):
    """Drop an index named in the catalog (``INDEXES_ON``)."""
    return 'DROP INDEX "%s"' % _identifier(name)


def lot_merge_sql(tables):
    """LOT_MERGE of the work tables ``tables`` (a FULL JOIN by lot)."""
    for name in tables:
        if name not in WORK_TABLES:
            raise ValueError("not a work table of the install: %r" % (name,))
    joined = " FULL JOIN ".join(tables[:1] + ["%s USING (lot_id)" % t for t in tables[1:]])
    return LOT_MERGE.format(tables=joined)


def lot_write_sql(columns):
    """LOT_WRITE of ``columns`` (value columns of WORK_TABLES)."""
    known = {c for definition in WORK_TABLES.values() for c in work_columns(definition)}
    unknown = set(columns) - known
    if unknown:
        raise ValueError("not a column the install writes: %s" % sorted(unknown))
    return LOT_WRITE.format(columns=set_columns(columns))


def chunk_starts_sql(table):
    """CHUNK_STARTS for one of CHUNKED_TABLES (a constant, never user input)."""
    if table not in CHUNKED_TABLES:
        raise ValueError("not a table the install reads in chunks: %r" % (table,))
    return CHUNK_STARTS.format(table=table)


def ranges(starts, last_id, total):
    """``[(first, stop, rows so far)]`` from CHUNK_STARTS rows ``(id, n)``: ids
    ``first <= id < stop``; ``last_id`` the table's greatest id, ``total`` its rows."""
    result = []
    for index, (first, _number) in enumerate(starts):
        if index + 1 < len(starts):
            stop, done = starts[index + 1][0], starts[index + 1][1] - 1
        else:
            stop, done = last_id + 1, total
        result.append((first, stop, done))
    return result


def chunks(items, size):
    """``items`` (a list) in consecutive slices of at most ``size``."""
    if size < 1:
        raise ValueError("size must be at least 1, not %r" % (size,))
    return [items[start:start + size] for start in range(0, len(items), size)]


def progress(label, done, total, unit):
    """``Backfilling genealogy links: 1,200,000 / 2,190,960 move lines``."""
    return "%s: %s / %s %s" % (label, "{:,}".format(done), "{:,}".format(total), unit)


def some_ids(ids, limit=20):
    """``ids`` for a log line: all of them, or the first ``limit`` and how many more."""
    ids = list(ids)
    shown = ", ".join(str(i) for i in ids[:limit])
    if len(ids) > limit:
        shown += " and %s more" % "{:,}".format(len(ids) - limit)
    return shown

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The end state of a transfer flow, ids and the run's own timestamps aside.

Read after a flow on each path (``test_transfer_batch.py``, and the benchmark
``benchmarks/serial_transfers.py``): every column of the quants and lots of the
products, and of the pickings, moves, move lines, audit entries and genealogy links
made since ``marks``. A column
that points at a row made by the run is replaced by that row's rank among the run's
rows of its table; a date or time at or after the run's start by ``"now"``; the
pickings' names (a sequence, not rolled back) and the audit chain's hashes (which
hash ids and times) are left out. Rows are compared as sorted lists.
"""
import re

RUN_TABLES = ("res_partner", "stock_picking", "stock_move", "stock_move_line",
              "stock_production_lot", "stock_quant", "stock_quant_package",
              "serial_audit_entry", "serial_genealogy_edge", "mrp_production",
              "procurement_group")
SKIP = {"id", "create_date", "write_date", "name@stock_picking", "name@mrp_production",
        "name@stock_move", "name@procurement_group", "name@stock_quant_package",
        "sequence@serial_audit_entry", "reference", "res_name", "origin"}
RECORD_ID = re.compile(r"\[\d+,")
DATETIME = re.compile(r"^\d{4}-\d\d-\d\d( \d\d:\d\d:\d\d(\.\d+)?)?$")


def marks(cr):
    """The highest id of each table and the time, before the step."""
    out = {}
    for table in RUN_TABLES:
        cr.execute("SELECT to_regclass(%s)", (table,))
        if cr.fetchone()[0]:
            cr.execute("SELECT COALESCE(max(id), 0) FROM %s" % table)  # our table names
            out[table] = cr.fetchone()[0]
    cr.execute("SELECT to_char(now() at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS')")
    out["__start__"] = cr.fetchone()[0]
    return out


def _columns(cr, table):
    cr.execute("""SELECT column_name FROM information_schema.columns
                   WHERE table_name = %s ORDER BY column_name""", (table,))
    names = [row[0] for row in cr.fetchall()]
    return [n for n in names if n not in SKIP and "%s@%s" % (n, table) not in SKIP
            and "hash" not in n]


def _foreign_keys(cr, table):
    cr.execute("""SELECT a.attname, c.confrelid::regclass::text
                    FROM pg_constraint c
                    JOIN pg_attribute a ON a.attrelid = c.conrelid
                                       AND a.attnum = c.conkey[1]
                   WHERE c.contype = 'f' AND c.conrelid = %s::regclass""", (table,))
    return dict(cr.fetchall())


def _rows(cr, table, where, params):
    """(column names, rows) of ``table`` where ``where`` (our own SQL text)."""
    names = _columns(cr, table)
    cr.execute("SELECT id, %s FROM %s WHERE %s ORDER BY id" % (
        ", ".join('"%s"' % n for n in names), table, where), params)
    return names, cr.fetchall()


def read(cr, products, pickings, before):
    """The normalized end state (a dict of sorted row lists per table) of the quants
    and lots of ``products`` and of the rows made since ``before`` (with the moves and
    lines of ``pickings``, made before it or not)."""
    start = before["__start__"]
    picking_ids = list(pickings.ids) if pickings else []
    raw = {}
    raw["stock_picking"] = _rows(cr, "stock_picking", "id > %s", [before["stock_picking"]])
    raw["stock_move"] = _rows(cr, "stock_move", "id > %s OR picking_id = ANY(%s)",
                              [before["stock_move"], picking_ids])
    raw["stock_move_line"] = _rows(
        cr, "stock_move_line", "id > %s OR picking_id = ANY(%s)",
        [before["stock_move_line"], picking_ids])
    raw["stock_production_lot"] = _rows(cr, "stock_production_lot", "product_id = ANY(%s)",
                                        [products.ids])
    raw["stock_quant"] = _rows(cr, "stock_quant", "product_id = ANY(%s)", [products.ids])
    for table in ("res_partner", "serial_audit_entry", "serial_genealogy_edge",
                  "stock_quant_package", "mrp_production", "procurement_group"):
        if table in before:
            raw[table] = _rows(cr, table, "id > %s", [before[table]])
    rank = {}
    for table, (names, rows) in raw.items():
        new_ids = [row[0] for row in rows if row[0] > before.get(table, 0)]
        rank[table] = {rid: n for n, rid in enumerate(new_ids)}
    out = {}
    for table, (names, rows) in raw.items():
        fks = _foreign_keys(cr, table)
        res_model_col = names.index("res_model") if "res_model" in names else None
        norm_rows = []
        for row in rows:
            values = []
            for name, value in zip(names, row[1:]):
                target = fks.get(name)
                if name == "res_id" and res_model_col is not None:
                    target = row[1 + res_model_col].replace(".", "_")
                if target in rank and value in rank[target]:
                    value = ("new", target, rank[target][value])
                elif name in ("old_value", "new_value") and isinstance(value, str):
                    value = RECORD_ID.sub("[#,", value)  # [id, "name"] of a new record
                elif isinstance(value, str) and DATETIME.match(value) and (
                        value >= start if len(value) > 10 else value >= start[:10]):
                    value = "now"
                values.append(value)
            norm_rows.append(tuple(values))
        out[table] = (names, sorted(norm_rows, key=repr))
    return out


def same(ours, host, log=print):
    """True when both end states are equal; logs the first difference of each table."""
    equal = True
    for table in sorted(set(ours) | set(host)):
        if ours.get(table) == host.get(table):
            continue
        equal = False
        names, o_rows = ours.get(table, ([], []))
        _names, h_rows = host.get(table, ([], []))
        log("differs: %s (%d rows ours, %d host)" % (table, len(o_rows), len(h_rows)))
        for o_row, h_row in zip(o_rows, h_rows):
            if o_row != h_row:
                diff = [(n, a, b) for n, a, b in zip(names, o_row, h_row) if a != b]
                log("  first differing row: %s" % (diff[:6],))
                break
    return equal

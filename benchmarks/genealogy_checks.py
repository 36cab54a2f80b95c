# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Checks for the genealogy benchmark's data and answers.

- ``row_shapes``/``compare_shapes``: per table and kind of row, the host columns
  that are set and the relations between rows, to compare generated rows with
  rows of real flows (``benchmarks/tests/test_benchmark_shape.py``);
- ``host_report_walk``: the host's own way to a forward trace, its Downstream
  Traceability report unfolded line by line;
- ``answer_from_lines``/``answer_from_trace``: one comparable answer from either.
"""
import collections
import time


# -- shape of host rows, to compare generated rows with real ones ----------------------
def host_columns(cr, table):
    """The columns of ``table`` the host defines (those only this addon adds are
    left out: the generator does not write them)."""
    cr.execute("""
        SELECT c.column_name
          FROM information_schema.columns c
          LEFT JOIN ir_model m ON replace(m.model, '.', '_') = c.table_name
          LEFT JOIN ir_model_fields f ON f.model_id = m.id AND f.name = c.column_name
          LEFT JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id
         WHERE c.table_schema = current_schema() AND c.table_name = %s
         GROUP BY c.column_name
        HAVING NOT COALESCE(bool_and(d.module = 'serial_traceability'), FALSE)""", (table,))
    return sorted(r[0] for r in cr.fetchall())


_ROLE = """CASE WHEN m.raw_material_production_id IS NOT NULL THEN 'consumed'
                WHEN m.production_id IS NOT NULL THEN 'produced'
                WHEN m.origin_returned_move_id IS NOT NULL THEN 'return'
                WHEN sl.usage = 'supplier' THEN 'receipt'
                WHEN dl.usage = 'customer' THEN 'delivery' ELSE 'other' END"""
_TRACKING = """(SELECT pt.tracking FROM product_product pp
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE pp.id = t.product_id)"""

_MOVE_KIND = _ROLE + " || '/' || " + _TRACKING
_LINE_JOINS = """
    JOIN stock_move m ON m.id = t.move_id
    JOIN stock_location sl ON sl.id = t.location_id
    JOIN stock_location dl ON dl.id = t.location_dest_id
    LEFT JOIN mrp_production mo ON mo.id = COALESCE(m.raw_material_production_id, m.production_id)
    LEFT JOIN stock_production_lot lot ON lot.id = t.lot_id
    LEFT JOIN stock_production_lot lp ON lp.id = t.lot_produced_id"""
_LINE_SIGS = [
    "t.state", "sl.usage", "dl.usage", "m.state",
    "lot.product_id = t.product_id", "t.lot_produced_id IS NULL",
    "lp.product_id = mo.product_id", "t.production_id IS NOT DISTINCT FROM mo.id",
    "t.picking_id IS NOT DISTINCT FROM m.picking_id", "t.reference = m.reference",
    "t.product_id = m.product_id", "t.location_id = m.location_id",
    "t.location_dest_id = m.location_dest_id", "t.date <= m.date",
    # consumed line -> the finished line of its lot (the host's consume_line_ids)
    """EXISTS (SELECT 1 FROM stock_move_line_consume_rel r
                 JOIN stock_move_line f ON f.id = r.consume_line_id
                 JOIN stock_move fm ON fm.id = f.move_id
                WHERE r.produce_line_id = t.id AND f.lot_id = t.lot_produced_id
                  AND fm.production_id = m.raw_material_production_id)""",
    # finished line -> the lines consumed for its lot
    """EXISTS (SELECT 1 FROM stock_move_line_consume_rel r
                 JOIN stock_move_line c ON c.id = r.produce_line_id
                WHERE r.consume_line_id = t.id AND c.lot_produced_id = t.lot_id)""",
    "EXISTS (SELECT 1 FROM stock_move_line_consume_rel r"
    " WHERE r.consume_line_id = t.id OR r.produce_line_id = t.id)",
    "EXISTS (SELECT 1 FROM serial_genealogy_edge e WHERE e.move_line_id = t.id)",
]
_MOVE_JOINS = """
    JOIN stock_location sl ON sl.id = t.location_id
    JOIN stock_location dl ON dl.id = t.location_dest_id
    JOIN stock_move m ON m.id = t.id
    LEFT JOIN mrp_production mo ON mo.id = COALESCE(t.raw_material_production_id, t.production_id)
    LEFT JOIN stock_picking pk ON pk.id = t.picking_id
    LEFT JOIN mrp_bom_line bl ON bl.id = t.bom_line_id"""
_MOVE_SIGS = [
    "t.state", "sl.usage", "dl.usage", "pk.state",
    "t.reference = COALESCE(pk.name, mo.name)",
    "t.group_id IS NOT DISTINCT FROM mo.procurement_group_id",
    "bl.product_id = t.product_id", "mo.product_id = t.product_id",
    "t.location_id = COALESCE(pk.location_id, mo.location_src_id, t.location_id)",
    "(SELECT sum(l.qty_done) FROM stock_move_line l WHERE l.move_id = t.id) = t.product_uom_qty",
    "EXISTS (SELECT 1 FROM stock_move_move_rel r WHERE r.move_dest_id = t.id"
    " AND r.move_orig_id = t.origin_returned_move_id)",
]
_MO_SIGS = [
    "t.state", "t.availability",
    "(SELECT g.name FROM procurement_group g WHERE g.id = t.procurement_group_id) = t.name",
    "(SELECT sum(l.qty_done) FROM stock_move_line l JOIN stock_move m ON m.id = l.move_id"
    " WHERE m.production_id = t.id) = t.product_qty",
    "NOT EXISTS (SELECT 1 FROM stock_move m WHERE t.id IN"
    " (m.production_id, m.raw_material_production_id) AND m.state NOT IN ('done', 'cancel'))",
    "(SELECT b.product_id FROM mrp_bom b WHERE b.id = t.bom_id) = t.product_id",
]
_PICKING_JOINS = """
    JOIN stock_location sl ON sl.id = t.location_id
    JOIN stock_location dl ON dl.id = t.location_dest_id
    JOIN stock_picking_type ty ON ty.id = t.picking_type_id"""
_PICKING_SIGS = [
    "t.state", "ty.code", "t.partner_id IS NULL", "t.origin LIKE 'Return of %%'",
    "NOT EXISTS (SELECT 1 FROM stock_move m WHERE m.picking_id = t.id"
    " AND (m.state <> 'done' OR m.location_id <> t.location_id"
    " OR m.location_dest_id <> t.location_dest_id))",
]
_LOT_SIGS = [
    "EXISTS (SELECT 1 FROM stock_move_line l WHERE l.lot_id = t.id AND l.state = 'done')"]
_QUANT_SIGS = ["sign(t.quantity)", "t.reserved_quantity = 0", "t.lot_id IS NULL"]
_GROUP_SIGS = ["EXISTS (SELECT 1 FROM mrp_production p WHERE p.procurement_group_id = t.id"
               " AND p.name = t.name)"]

# table -> (joins after "<table> t", kind, signature). A row's signature is the set
# of facts that tie it to the others: states, location usages, which MO, picking and
# lot it points to and whether those agree.
SHAPES = collections.OrderedDict([
    ("stock_move_line", (_LINE_JOINS, _MOVE_KIND, _LINE_SIGS)),
    ("stock_move", (_MOVE_JOINS, _MOVE_KIND, _MOVE_SIGS)),
    ("mrp_production", ("", "'mo/' || " + _TRACKING, _MO_SIGS)),
    ("stock_picking", (_PICKING_JOINS, "sl.usage || '->' || dl.usage", _PICKING_SIGS)),
    ("stock_production_lot", ("", _TRACKING, _LOT_SIGS)),
    ("stock_quant", ("JOIN stock_location sl ON sl.id = t.location_id",
                     "sl.usage || '/' || " + _TRACKING, _QUANT_SIGS)),
    ("procurement_group", ("", "'group'", _GROUP_SIGS)),
])


def max_ids(cr):
    """The highest id of each table in ``SHAPES``: rows made after this call are
    those above it."""
    result = {}
    for table in SHAPES:
        cr.execute("SELECT COALESCE(max(id), 0) FROM %s" % table)
        result[table] = cr.fetchone()[0]
    return result


def row_shapes(cr, after, upto):
    """For rows with ``after[table] < id <= upto[table]``: ``{(table, kind): {"n",
    "all" (host columns set in every row), "any" (set in some row), "sigs"}}``."""
    shapes = {}
    for table, (joins, kind, sigs) in SHAPES.items():
        cols = host_columns(cr, table)
        cr.execute("""
            SELECT %s AS kind,
                   ARRAY(SELECT key FROM json_each(row_to_json(t))
                          WHERE value::text <> 'null' AND key = ANY(%%(cols)s)) AS nonnull,
                   ROW(%s)::text AS sig
              FROM %s t %s
             WHERE t.id > %%(lo)s AND t.id <= %%(hi)s""" % (
            kind, ", ".join("(%s)" % s for s in sigs), table, joins),
            {"cols": cols, "lo": after[table], "hi": upto[table]})
        for kind_value, nonnull, sig in cr.fetchall():
            shape = shapes.setdefault((table, kind_value), {
                "n": 0, "all": set(nonnull), "any": set(), "sigs": set()})
            shape["n"] += 1
            shape["all"] &= set(nonnull)
            shape["any"] |= set(nonnull)
            shape["sigs"].add(sig)
    return shapes


def compare_shapes(real, generated):
    """Differences between two ``row_shapes`` results, as sentences (none: same)."""
    diffs = []
    for key in sorted(set(real) | set(generated)):
        if key not in generated:
            diffs.append("%s: real rows of this kind, none generated" % (key,))
            continue
        if key not in real:
            diffs.append("%s: generated rows of a kind real flows do not make" % (key,))
            continue
        r, g = real[key], generated[key]
        if r["all"] - g["all"]:
            diffs.append("%s: columns the host always sets, not always generated: %s"
                         % (key, sorted(r["all"] - g["all"])))
        if g["any"] - r["any"]:
            diffs.append("%s: columns generated that the host leaves empty: %s"
                         % (key, sorted(g["any"] - r["any"])))
        if r["sigs"] != g["sigs"]:
            diffs.append("%s: relations differ: real %s generated %s"
                         % (key, sorted(r["sigs"]), sorted(g["sigs"])))
    return diffs


# -- the host's own way to the answer ------------------------------------------------
def host_report_walk(env, lot, deadline=None, state=None):
    """Forward trace the way a user does it in the host: open the lot's Downstream
    Traceability report and unfold every unfoldable line (each move line once),
    level by level, until none is left or ``deadline`` (time.time()) passes.
    Returns ``(move_line_ids, complete, unfolds)``; ``state`` (a dict) holds the
    same as they grow, for a caller that interrupts a long unfold."""
    state = state if state is not None else {}
    seen = state.setdefault("lines", set())
    state.setdefault("unfolds", 0)
    report = env["stock.traceability.report"]
    head = report.with_context(active_id=lot.id, model="stock.production.lot",
                               ttype="downstream").get_lines()
    queue = collections.deque(head)
    unfolded = set()
    while queue:
        if deadline and time.time() > deadline:
            return seen, False, state["unfolds"]
        line = queue.popleft()
        if line["model"] == "stock.move.line":
            seen.add(line["model_id"])
        key = (line["model"], line["model_id"])
        if not line["unfoldable"] or key in unfolded:
            continue
        unfolded.add(key)
        state["unfolds"] += 1
        queue.extend(report.get_lines(
            line["id"], model_id=line["model_id"], model_name=line["model"],
            stream=line["stream"] or "upstream", parent_quant=line.get("parent_quant") or False,
            level=line["level"] + 30))
    return seen, True, state["unfolds"]


def answer_from_lines(cr, line_ids, start_lot_id, unit_product_id):
    """``(lots reached, finished units reached, {unit: picking of its last
    delivery to a customer})`` from the move lines a host walk showed."""
    cr.execute("""
        SELECT l.lot_id, lot.product_id, l.picking_id, d.usage, l.date, l.id
          FROM stock_move_line l
          JOIN stock_location d ON d.id = l.location_dest_id
          JOIN stock_production_lot lot ON lot.id = l.lot_id
         WHERE l.id = ANY(%s) AND l.lot_id <> %s""", (list(line_ids), start_lot_id))
    lots, units, last = set(), set(), {}
    for lot_id, product_id, picking_id, usage, date, line_id in cr.fetchall():
        lots.add(lot_id)
        if product_id == unit_product_id:
            units.add(lot_id)
            if usage == "customer" and (lot_id not in last or last[lot_id][0] < (date, line_id)):
                last[lot_id] = ((date, line_id), picking_id)
    return lots, units, {lot_id: v[1] for lot_id, v in last.items()}


def answer_from_trace(rows, unit_product_id):
    """The same triple from ``get_trace``-shaped rows (dicts or tuples in
    ``TRACE_COLUMNS`` order)."""
    lots, units, shipped = set(), set(), {}
    for row in rows:
        if not isinstance(row, dict):
            row = dict(zip(("lot_id", "parent_lot_id", "depth", "production_id", "product_id",
                            "location_id", "location_usage", "partner_id", "picking_id",
                            "ship_date"), row))
        lots.add(row["lot_id"])
        if row["product_id"] == unit_product_id:
            units.add(row["lot_id"])
            if row["picking_id"]:
                shipped[row["lot_id"]] = row["picking_id"]
    return lots, units, shipped

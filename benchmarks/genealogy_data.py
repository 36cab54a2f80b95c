# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Genealogy data at any scale, in exactly the row shape the host writes.

Master data (products, BOMs, partners) is made through the ORM, and one small
*template* history through the host's own flows (``demo.flow.HostFlow``): a receipt,
three multi-serial MOs through the produce wizard, a delivery, a return and a
re-shipment. Volume is then cloned from those template rows in bulk SQL
(``INSERT ... SELECT ... FROM generate_series``): every column is copied from the
row the host wrote for the same product and role, and only keys, quantities,
names and dates are set. So the bulk rows have the host's shape by construction;
``benchmarks/tests/test_benchmark_shape.py`` checks that against rows of
independent real flows, and that the host's own traceability report reads them.

The factory: capacitor lots (CAP, lot) and MCU serials go into PCBs (serial);
a PCB, a battery lot (BAT) and an untracked housing into a module (serial); a
module into a pump (serial, the finished unit). Each MO builds ``per_mo`` units
of one level; PCB MO ``m`` uses capacitor lot ``m % cap_lots``, so with 8 lots
each is in 12.5 % of all finished units. Most pumps are delivered to one of a
few hundred customers, a few are returned and some of those re-shipped.

Nothing here commits and nothing assumes an empty database: ids come from the
tables' own sequences (a block is reserved per insert), names carry ``prefix``.
The database trigger of ``serial_traceability`` fills ``serial_genealogy_edge``
as the move lines go in, unless ``trigger=False`` (then the addon's backfill).
On a database without the addon the same flows and BOMs run unchanged: the flow
driver (``serial_traceability/demo/flow.py``) calls the host's models only.
"""
import collections
import datetime
import time

from odoo import SUPERUSER_ID, api

COMPONENTS = collections.OrderedDict([
    # key: (name, tracking)
    ("cap", ("Capacitor 47uF", "lot")),
    ("mcu", ("MCU board", "serial")),
    ("bat", ("Battery pack", "lot")),
    ("hsg", ("Housing", "none")),
    ("pcb", ("PCB assembly", "serial")),
    ("mod", ("Pump module", "serial")),
    ("pump", ("Infusion pump", "serial")),
])
LEVELS = ("pcb", "mod", "pump")  # built in this order; pump is the finished unit
BOMS = {
    "pcb": [("cap", 2), ("mcu", 1)],
    "mod": [("pcb", 1), ("bat", 1), ("hsg", 1)],
    "pump": [("mod", 1)],
}
# Lots made per unit, in this order: a unit's lot id is lot0 + 4 * (i - i0) + index.
UNIT_LOTS = ("mcu", "pcb", "mod", "pump")
LEVEL_TAG = {"pcb": "B", "mod": "M", "pump": "F"}  # in MO names
LEVEL_OFFSET = {"pcb": 0, "mod": 86400, "pump": 2 * 86400}  # seconds after a PCB MO
MO_STEP = 7200  # seconds between two MOs of one level
UNIT_STEP = 10  # seconds between two units produced in one MO

# Columns the addon adds that a row owes to the flow that wrote it rather than to
# later events: copied from the template like host columns (a lot belongs to the
# company it was made in; left NULL, the addon's install backfill would fill it
# lot by lot on every update).
ADDON_COPIED = {("stock_production_lot", "company_id")}

SCALES = {
    # units: finished serials; per_mo: units per MO; block: units per delivery
    "tiny": dict(units=40, per_mo=5, block=5, customers=3, return_every=20,
                 reship_every=40, batch_units=40),
    "quick": dict(units=20000, per_mo=50, block=25, customers=300, return_every=400,
                  reship_every=800, batch_units=10000),
    "full": dict(units=200000, per_mo=50, block=25, customers=300, return_every=400,
                 reship_every=800, batch_units=10000),
}


def _unit_lot(kind, i="g.i"):
    return "(%%(lot0)s + 4 * (%s - %%(i0)s) + %d)" % (i, UNIT_LOTS.index(kind))


class GenealogyData(object):

    def __init__(self, cr, prefix="G", per_mo=50, block=25, cap_lots=8, bat_size=1000,
                 customers=300, return_every=400, reship_every=800, trigger=True,
                 t0=datetime.datetime(2025, 1, 6), log=None, **_ignored):
        assert per_mo % block == 0, "a delivery block must not span two MOs"
        self.cr = cr
        self.env = api.Environment(cr, SUPERUSER_ID, {})
        self.prefix = prefix
        self.per_mo, self.block = per_mo, block
        self.cap_lots, self.bat_size = cap_lots, bat_size
        self.n_customers = customers
        self.return_every, self.reship_every = return_every, reship_every
        self.trigger = trigger
        self.t0 = t0
        self.log = log or (lambda msg: None)
        self._columns = {}
        self.products = {}
        self.tpl = {}
        self.done_units = 0
        self.first_line_id = None  # of what generate() wrote, for the quants
        self.counts = collections.Counter()
        self.addon = "serial.genealogy.edge" in self.env.registry

    # -- master data and the template history, through the host ------------------
    def setup(self, units):
        """Products, BOMs, partners and the template history, for up to ``units``
        finished units."""
        env = self.env
        p = self.prefix
        for key, (name, tracking) in COMPONENTS.items():
            self.products[key] = env["product.product"].create({
                "name": "%s %s" % (p, name), "default_code": "%s-%s" % (p, key.upper()),
                "type": "product", "tracking": tracking})
        from odoo.addons.serial_traceability.demo.factory import make_bom
        self.boms = {level: make_bom(env, self.products[level],
                                     [(self.products[c], q) for c, q in BOMS[level]])
                     for level in LEVELS}
        partner = env["res.partner"]
        self.supplier = partner.create({"name": "%s Components Ltd" % p, "supplier": True})
        self.customers = partner.browse([
            partner.create({"name": "%s Hospital %03d" % (p, n), "customer": True}).id
            for n in range(self.n_customers)])
        self.max_units = units
        self._template_history()
        return self

    def _template_history(self):
        from odoo.addons.serial_traceability.demo.flow import HostFlow
        flow = HostFlow(self.env)
        pr = self.products

        def name(suffix):
            return "%s-TPL-%s" % (self.prefix, suffix)

        receipt = flow._receive(self.supplier, [
            (pr["cap"], 10, name("CAP")), (pr["mcu"], 1, name("MCU-1")),
            (pr["mcu"], 1, name("MCU-2")), (pr["bat"], 10, name("BAT")), (pr["hsg"], 10, None)])
        comps = {
            "pcb": lambda j: [(pr["cap"], 2, name("CAP")), (pr["mcu"], 1, name("MCU-%d" % j))],
            "mod": lambda j: [(pr["pcb"], 1, name("PCB-%d" % j)), (pr["bat"], 1, name("BAT"))],
            "pump": lambda j: [(pr["mod"], 1, name("MOD-%d" % j))],
        }
        mos = {}
        for level in LEVELS:
            mo = flow._start_production(pr[level], 2, self.boms[level])
            for j in (1, 2):
                flow._produce(mo, 1, name("%s-%d" % (level.upper(), j)), comps[level](j))
            mos[level] = flow._finish(mo)
        pump_lots = [flow._lot(pr["pump"], name("PUMP-%d" % j)) for j in (1, 2)]
        delivery = flow._deliver(self.customers[0], [(pr["pump"], 1, lot) for lot in pump_lots])
        ret = flow._return(delivery, [(pr["pump"], 1, pump_lots[0])])
        flow._deliver(self.customers[1 % len(self.customers)], [(pr["pump"], 1, pump_lots[0])])
        self._find_templates(receipt, mos, delivery, ret)

    def _one(self, sql, params):
        self.cr.execute(sql, params)
        row = self.cr.fetchone()
        assert row, "template row not found: %s %s" % (sql, params)
        return row[0]

    def _find_templates(self, receipt, mos, delivery, ret):
        tpl = self.tpl
        one = self._one
        pr = {k: v.id for k, v in self.products.items()}
        tpl["picking_in"], tpl["picking_out"], tpl["picking_ret"] = (
            receipt.id, delivery.id, ret.id)
        for key in ("cap", "mcu", "bat", "hsg"):
            tpl["move_in", key] = one(
                "SELECT id FROM stock_move WHERE picking_id = %s AND product_id = %s",
                (receipt.id, pr[key]))
            tpl["line_in", key] = one(
                "SELECT min(id) FROM stock_move_line WHERE move_id = %s", (tpl["move_in", key],))
        for key in COMPONENTS:
            tpl["lot", key] = one(
                "SELECT min(id) FROM stock_production_lot WHERE product_id = %s", (pr[key],))
        for level, mo in mos.items():
            tpl["mo", level] = mo.id
            tpl["mo_name", level] = mo.name
            tpl["group", level] = mo.procurement_group_id.id
            tpl["move_fin", level] = one(
                "SELECT min(id) FROM stock_move WHERE production_id = %s AND state = 'done'",
                (mo.id,))
            tpl["line_fin", level] = one(
                "SELECT min(id) FROM stock_move_line WHERE move_id = %s AND lot_id IS NOT NULL",
                (tpl["move_fin", level],))
            for comp, _qty in BOMS[level]:
                tpl["move_raw", level, comp] = one(
                    "SELECT min(id) FROM stock_move WHERE raw_material_production_id = %s"
                    " AND product_id = %s AND state = 'done'", (mo.id, pr[comp]))
                tpl["line_raw", level, comp] = one(
                    "SELECT min(id) FROM stock_move_line WHERE move_id = %s"
                    " AND lot_produced_id IS NOT NULL AND state = 'done'",
                    (tpl["move_raw", level, comp],))
        tpl["move_out"] = one("SELECT min(id) FROM stock_move WHERE picking_id = %s",
                              (delivery.id,))
        tpl["line_out"] = one("SELECT min(id) FROM stock_move_line WHERE move_id = %s",
                              (tpl["move_out"],))
        tpl["move_ret"] = one("SELECT min(id) FROM stock_move WHERE picking_id = %s", (ret.id,))
        tpl["line_ret"] = one("SELECT min(id) FROM stock_move_line WHERE move_id = %s",
                              (tpl["move_ret"],))
        tpl["quant"] = one("SELECT min(id) FROM stock_quant WHERE product_id = %s"
                           " AND lot_id IS NOT NULL", (pr["cap"],))

    # -- bulk SQL -------------------------------------------------------------------
    def _cols(self, table):
        """``table``'s columns, each with the expression a clone gives it by
        default: the template's value for the host's columns; for columns only
        this addon adds (fields of other features, kept up to date by their own
        code) NULL where allowed -- the generator writes host rows only."""
        if table not in self._columns:
            self.cr.execute("""
                SELECT c.column_name,
                       c.is_nullable = 'YES' AND COALESCE(bool_and(
                           d.module = 'serial_traceability'), FALSE) AS addon_only
                  FROM information_schema.columns c
                  LEFT JOIN ir_model m ON replace(m.model, '.', '_') = c.table_name
                  LEFT JOIN ir_model_fields f ON f.model_id = m.id AND f.name = c.column_name
                  LEFT JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id
                 WHERE c.table_schema = current_schema() AND c.table_name = %s
                 GROUP BY c.column_name, c.is_nullable, c.ordinal_position
                 ORDER BY c.ordinal_position""", (table,))
            self._columns[table] = [
                (name, "NULL" if addon_only and (table, name) not in ADDON_COPIED
                 else "t.%s" % name) for name, addon_only in self.cr.fetchall()]
        return self._columns[table]

    def _last_line_id(self):
        self.cr.execute("SELECT last_value FROM stock_move_line_id_seq")
        return self.cr.fetchone()[0]

    def _reserve(self, table, n):
        """``n`` consecutive ids from ``table``'s own sequence: first one returned."""
        if n <= 0:
            return 0
        seq = "%s_id_seq" % table
        self.cr.execute("SELECT nextval(%s)", (seq,))
        first = self.cr.fetchone()[0]
        if n > 1:
            self.cr.execute("SELECT setval(%s, %s)", (seq, first + n - 1))
        return first

    def _clone(self, table, template_id, source, overrides, params, where=None):
        """Insert one row per row of ``source`` (a FROM item), copying every column
        of row ``template_id`` of ``table`` but those in ``overrides`` (column ->
        SQL expression over ``t``, the template, and the source)."""
        cols = [(c, expr) for c, expr in self._cols(table) if c != "id" or "id" in overrides]
        unknown = set(overrides) - set(c for c, _expr in cols)
        assert not unknown, "no such column in %s: %s" % (table, unknown)
        names = [c for c, _expr in cols]
        exprs = [overrides.get(c, expr) for c, expr in cols]
        sql = "INSERT INTO %s (%s) SELECT %s FROM %s t, %s WHERE t.id = %%(tpl_id)s%s" % (
            table, ", ".join(names), ", ".join(exprs), table, source,
            " AND (%s)" % where if where else "")
        params = dict(params, tpl_id=template_id)
        self.cr.execute(sql, params)
        self.counts[table] += self.cr.rowcount
        return self.cr.rowcount

    @staticmethod
    def _stamp(expr):
        return {"create_date": expr, "write_date": expr}

    @staticmethod
    def _qty(expr, *cols):
        """Quantity columns set to ``expr`` (``{col}`` stands for the template's
        value) where the host wrote one."""
        return {c: "CASE WHEN t.%s IS NULL THEN NULL ELSE %s END"
                   % (c, expr.replace("{col}", "t." + c)) for c in cols}

    def _lots(self, key, source, name_expr, params, id_expr=None):
        over = {"name": name_expr}
        if id_expr:
            over["id"] = id_expr
        over.update(self._stamp("%(t0)s::timestamp"))
        return self._clone("stock_production_lot", self.tpl["lot", key], source, over, params)

    def _picking(self, kind, source, id_expr, name_expr, date_expr, params, extra=None):
        over = {"id": id_expr, "name": name_expr, "scheduled_date": date_expr,
                "date": date_expr, "date_done": date_expr}
        over.update(self._stamp(date_expr))
        over.update(extra or {})
        return self._clone("stock_picking", self.tpl["picking_" + kind], source, over, params)

    def _base_params(self):
        return {"t0": self.t0, "prefix": self.prefix, "per_mo": self.per_mo,
                "mo_step": MO_STEP, "unit_step": UNIT_STEP}

    def _bulk_receipt(self, units):
        """One receipt of all capacitor lots, battery lots and housings."""
        params = self._base_params()
        n_bat = units // self.bat_size + 1
        params.update(n_cap=self.cap_lots, n_bat=n_bat, units=units,
                      cap_qty=2.0 * (units // self.cap_lots + self.per_mo),
                      bat_qty=float(self.bat_size))
        day = "%(t0)s::timestamp - interval '1 day'"
        self.cap_lot_ids = self._new_lots("cap", self.cap_lots, "CAP-L%02d", params)
        self.bat_lot_ids = self._new_lots("bat", n_bat, "BAT-%05d", params)
        pick = self._reserve("stock_picking", 1)
        params.update(pick=pick, cap_ids=self.cap_lot_ids, bat_ids=self.bat_lot_ids)
        self._picking("in", "(SELECT 1) g", "%(pick)s", "'WH/IN/' || %(prefix)s || 'LOTS'",
                      day, params)
        for key, n, qty, ids in (("cap", self.cap_lots, "%(cap_qty)s", "cap_ids"),
                                 ("bat", n_bat, "%(bat_qty)s", "bat_ids"),
                                 ("hsg", 1, "%(units)s", None)):
            move = self._reserve("stock_move", 1)
            params["move"] = move
            total = "%s * %d" % (qty, n)
            over = {"id": "%(move)s", "picking_id": "%(pick)s", "date": day,
                    "date_expected": day,
                    "reference": "'WH/IN/' || %(prefix)s || 'LOTS'"}
            over.update(self._qty(total, "product_uom_qty", "product_qty", "ordered_qty"))
            over.update(self._stamp(day))
            self._clone("stock_move", self.tpl["move_in", key], "(SELECT 1) g", over, params)
            over = {"move_id": "%(move)s", "picking_id": "%(pick)s", "date": day,
                    "qty_done": qty, "reference": "'WH/IN/' || %(prefix)s || 'LOTS'",
                    "lot_id": "(%%(%s)s::int[])[g.k]" % ids if ids else "NULL"}
            over.update(self._stamp(day))
            self._clone("stock_move_line", self.tpl["line_in", key],
                        "generate_series(1, %d) AS g(k)" % n, over, params)

    def _new_lots(self, key, n, pattern, params):
        first = self._reserve("stock_production_lot", n)
        params = dict(params, first=first, n=n,
                      pattern="%s-%s" % (self.prefix, pattern.split("%")[0]),
                      width=int(pattern.split("%0")[1][0]))
        self._lots(key, "generate_series(0, %(n)s - 1) AS g(k)",
                   "%(pattern)s || lpad((g.k + 1)::text, %(width)s, '0')", params,
                   id_expr="%(first)s + g.k")
        return list(range(first, first + n))

    # -- the volume -----------------------------------------------------------------
    def generate(self, units, batch_units=10000, on_batch=None):
        """``units`` more finished units (a multiple of ``per_mo``), built, shipped
        and partly returned, in batches of ``batch_units`` (``on_batch(done)`` after
        each, e.g. to commit). Call ``setup`` first; then ``finish`` once."""
        assert units % self.per_mo == 0 and batch_units % self.per_mo == 0
        if not self.trigger and self.addon:
            self.cr.execute("ALTER TABLE stock_move_line DISABLE TRIGGER serial_genealogy_sync")
        assert self.done_units + units <= self.max_units, "setup() was for fewer units"
        if self.first_line_id is None:
            self.first_line_id = self._last_line_id() + 1
            self._bulk_receipt(self.max_units)
        start = self.done_units
        while self.done_units < start + units:
            i0 = self.done_units
            i1 = min(i0 + batch_units, start + units)
            self._batch(i0, i1)
            self.done_units = i1
            self.log("generated %d/%d units, %d move lines so far"
                     % (i1 - start, units, self.counts["stock_move_line"]))
            if on_batch:
                on_batch(i1 - start)
        return self

    def finish(self):
        """Quants for what was generated and, with the addon installed, edges if the
        trigger was off and the lots' unit fields."""
        t = time.time()
        self._quants(self.first_line_id, self._last_line_id())
        self.log("quants: %.1f s" % (time.time() - t))
        if not self.addon:
            return self
        if not self.trigger:
            self.cr.execute("ALTER TABLE stock_move_line ENABLE TRIGGER serial_genealogy_sync")
            t = time.time()
            added = self.env["serial.genealogy.edge"]._backfill()
            self.log("edges by backfill: %d in %.1f s" % (added, time.time() - t))
        # Bulk rows bypass the ORM hooks that keep the lots' unit fields (which the
        # trace reads): derive them with the recompute those hooks call.
        t = time.time()
        self.cr.execute("SELECT id FROM stock_production_lot WHERE product_id = ANY(%s)"
                        " ORDER BY id", ([p.id for p in self.products.values()],))
        ids = [row[0] for row in self.cr.fetchall()]
        lots = self.env["stock.production.lot"]
        for start in range(0, len(ids), 50000):
            lots.browse(ids[start:start + 50000])._recompute_unit_fields()
        self.log("lot unit fields: %.1f s" % (time.time() - t))
        self.env["stock.move.line"].invalidate_cache()
        return self

    def _batch(self, i0, i1):
        params = self._base_params()
        lot0 = self._reserve("stock_production_lot", 4 * (i1 - i0))
        params.update(i0=i0, i1=i1, lot0=lot0, m0=i0 // self.per_mo, m1=i1 // self.per_mo,
                      cap_ids=self.cap_lot_ids, bat_ids=self.bat_lot_ids,
                      n_cap=self.cap_lots, bat_size=self.bat_size, block=self.block,
                      customers=self.customers.ids, n_customers=len(self.customers))
        units = "generate_series(%(i0)s, %(i1)s - 1) AS g(i)"
        for kind in UNIT_LOTS:
            self._lots(kind, units, "%%(prefix)s || '-%s-' || lpad(g.i::text, 7, '0')"
                       % kind.upper(), params, id_expr=_unit_lot(kind))
        self._mcu_receipt(params)
        for level in LEVELS:
            self._level(level, dict(params))
        self._deliveries(dict(params))
        self._returns(i0, i1, dict(params))

    def _mcu_receipt(self, params):
        pick, move = self._reserve("stock_picking", 1), self._reserve("stock_move", 1)
        day = ("%(t0)s::timestamp + (%(m0)s * %(mo_step)s - 3600) * interval '1 second'")
        name = "'WH/IN/' || %(prefix)s || 'MCU' || lpad(%(m0)s::text, 7, '0')"
        params.update(pick=pick, move=move)
        self._picking("in", "(SELECT 1) g", "%(pick)s", name, day, params)
        over = {"id": "%(move)s", "picking_id": "%(pick)s", "date": day, "date_expected": day,
                "reference": name}
        over.update(self._qty("(%(i1)s - %(i0)s)", "product_uom_qty", "product_qty",
                              "ordered_qty"))
        over.update(self._stamp(day))
        self._clone("stock_move", self.tpl["move_in", "mcu"], "(SELECT 1) g", over, params)
        over = {"move_id": "%(move)s", "picking_id": "%(pick)s", "date": day, "reference": name,
                "lot_id": _unit_lot("mcu")}
        over.update(self._stamp(day))
        self._clone("stock_move_line", self.tpl["line_in", "mcu"],
                    "generate_series(%(i0)s, %(i1)s - 1) AS g(i)", over, params)

    def _level(self, level, params):
        """The MOs of one BOM level for units [i0, i1): groups, MOs, moves, move
        lines (one per component and unit, one per finished unit) and the host's
        consume/produce links between them."""
        tpl = self.tpl
        comps = BOMS[level]
        r = len(comps)
        n_mo = params["m1"] - params["m0"]
        n_units = params["i1"] - params["i0"]
        params.update(
            mo0=self._reserve("mrp_production", n_mo),
            grp0=self._reserve("procurement_group", n_mo),
            mv0=self._reserve("stock_move", n_mo * (1 + r)),
            ml0=self._reserve("stock_move_line", n_units * (1 + r)),
            r=r, off=LEVEL_OFFSET[level], tag=self.prefix + LEVEL_TAG[level],
            tpl_name=tpl["mo_name", level],
            ratio=float(self.per_mo) / 2)  # the template MOs made 2 units
        mos = "generate_series(%(m0)s, %(m1)s - 1) AS g(m)"
        mo_id = "(%(mo0)s + g.m - %(m0)s)"
        mo_name = "('MO/' || %(tag)s || lpad(g.m::text, 7, '0'))"
        start = "(%(t0)s::timestamp + (g.m * %(mo_step)s + %(off)s) * interval '1 second')"
        done = ("(%(t0)s::timestamp + (g.m * %(mo_step)s + %(off)s + %(per_mo)s * %(unit_step)s"
                " + 60) * interval '1 second')")
        over = {"id": "(%(grp0)s + g.m - %(m0)s)", "name": mo_name}
        over.update(self._stamp(start))
        self._clone("procurement_group", tpl["group", level], mos, over, params)
        over = {"id": mo_id, "name": mo_name, "product_qty": "%(per_mo)s",
                "procurement_group_id": "(%(grp0)s + g.m - %(m0)s)",
                "date_planned_start": start, "date_planned_finished": start,
                "date_start": start, "date_finished": done}
        over.update(self._stamp(start))
        self._clone("mrp_production", tpl["mo", level], mos, over, params)

        def move_over(k):
            o = {"id": "(%%(mv0)s + (g.m - %%(m0)s) * (1 + %%(r)s) + %d)" % k,
                 "date": done, "date_expected": start,
                 "group_id": "CASE WHEN t.group_id IS NULL THEN NULL"
                             " ELSE %(grp0)s + g.m - %(m0)s END"}
            for col in ("name", "origin", "reference"):
                o[col] = "replace(t.%s, %%(tpl_name)s, %s)" % (col, mo_name)
            o.update(self._qty("{col} * %(ratio)s", "product_uom_qty", "product_qty",
                               "ordered_qty"))
            o.update(self._stamp(start))
            return o

        over = move_over(0)
        over["production_id"] = mo_id
        self._clone("stock_move", tpl["move_fin", level], mos, over, params)
        for k, (comp, _qty) in enumerate(comps):
            over = move_over(1 + k)
            over["raw_material_production_id"] = mo_id
            self._clone("stock_move", tpl["move_raw", level, comp], mos, over, params)

        units = "generate_series(%(i0)s, %(i1)s - 1) AS g(i)"
        m = "(g.i / %(per_mo)s)"
        u_mo_id = "(%%(mo0)s + %s - %%(m0)s)" % m
        u_mo_name = "('MO/' || %%(tag)s || lpad(%s::text, 7, '0'))" % m
        produced = ("(%%(t0)s::timestamp + (%s * %%(mo_step)s + %%(off)s + mod(g.i, %%(per_mo)s)"
                    " * %%(unit_step)s) * interval '1 second')" % m)
        u_done = ("(%%(t0)s::timestamp + (%s * %%(mo_step)s + %%(off)s + %%(per_mo)s"
                  " * %%(unit_step)s + 60) * interval '1 second')" % m)
        produced_lot = _unit_lot(level)
        comp_lot = {
            "cap": "(%%(cap_ids)s::int[])[mod(%s, %%(n_cap)s) + 1]" % m,
            "mcu": _unit_lot("mcu"), "pcb": _unit_lot("pcb"), "mod": _unit_lot("mod"),
            "bat": "(%(bat_ids)s::int[])[g.i / %(bat_size)s + 1]",
            "hsg": "NULL",
        }

        def line_id(k):
            return "(%%(ml0)s + (g.i - %%(i0)s) * (1 + %%(r)s) + %d)" % k

        def move_id(k):
            return "(%%(mv0)s + (%s - %%(m0)s) * (1 + %%(r)s) + %d)" % (m, k)

        def line_over(k, date):
            o = {"id": line_id(k), "move_id": move_id(k), "date": date,
                 "reference": "replace(t.reference, %%(tpl_name)s, %s)" % u_mo_name,
                 "production_id": "CASE WHEN t.production_id IS NULL THEN NULL"
                                  " ELSE %s END" % u_mo_id}
            o.update(self._stamp(date))
            return o

        for k, (comp, _qty) in enumerate(comps):
            over = line_over(1 + k, produced)
            over.update(lot_id=comp_lot[comp], lot_produced_id=produced_lot)
            self._clone("stock_move_line", tpl["line_raw", level, comp], units, over, params)
        over = line_over(0, u_done)
        over["lot_id"] = produced_lot
        self._clone("stock_move_line", tpl["line_fin", level], units, over, params)
        # The host's link (mrp_production.post_inventory): the finished line's
        # consume_line_ids are the lines consumed for its lot.
        self.cr.execute("""
            INSERT INTO stock_move_line_consume_rel (consume_line_id, produce_line_id)
            SELECT %(ml0)s + (g.i - %(i0)s) * (1 + %(r)s),
                   %(ml0)s + (g.i - %(i0)s) * (1 + %(r)s) + k.k
              FROM generate_series(%(i0)s, %(i1)s - 1) AS g(i), generate_series(1, %(r)s) k(k)
        """, params)
        self.counts["stock_move_line_consume_rel"] += self.cr.rowcount

    def _delivery_time(self, blk):
        """SQL: when delivery block ``blk`` (an SQL expression) ships."""
        return ("(%%(t0)s::timestamp + ((%s * %%(block)s) / %%(per_mo)s * %%(mo_step)s"
                " + %d + 86400 + mod(%s, %%(per_mo)s / %%(block)s) * 600)"
                " * interval '1 second')" % (blk, LEVEL_OFFSET["pump"] + self.per_mo * UNIT_STEP
                                             + 60, blk))

    def _deliveries(self, params):
        """Every unit but one in twenty, shipped in blocks of ``block`` units, one
        delivery order per block to one customer."""
        b0, b1 = params["i0"] // self.block, params["i1"] // self.block
        params.update(b0=b0, b1=b1, pk0=self._reserve("stock_picking", b1 - b0),
                      dm0=self._reserve("stock_move", b1 - b0))
        blocks = "generate_series(%(b0)s, %(b1)s - 1) AS g(b)"
        name = "('WH/OUT/' || %(prefix)s || lpad(g.b::text, 7, '0'))"
        date = self._delivery_time("g.b")
        partner = "(%(customers)s::int[])[mod(g.b * 7, %(n_customers)s) + 1]"
        self._picking("out", blocks, "(%(pk0)s + g.b - %(b0)s)", name, date, params,
                      extra={"partner_id": partner})
        n = ("(SELECT count(*) FROM generate_series(g.b * %(block)s, g.b * %(block)s"
             " + %(block)s - 1) x WHERE mod(x, 20) <> 19)")
        over = {"id": "(%(dm0)s + g.b - %(b0)s)", "picking_id": "(%(pk0)s + g.b - %(b0)s)",
                "date": date, "date_expected": date, "reference": name}
        over.update(self._qty(n, "product_uom_qty", "product_qty", "ordered_qty"))
        over.update(self._stamp(date))
        self._clone("stock_move", self.tpl["move_out"], blocks, over, params)
        units = "generate_series(%(i0)s, %(i1)s - 1) AS g(i)"
        blk = "(g.i / %(block)s)"
        date = self._delivery_time(blk)
        over = {"move_id": "(%%(dm0)s + %s - %%(b0)s)" % blk,
                "picking_id": "(%%(pk0)s + %s - %%(b0)s)" % blk,
                "lot_id": _unit_lot("pump"), "date": date,
                "reference": "('WH/OUT/' || %%(prefix)s || lpad(%s::text, 7, '0'))" % blk}
        over.update(self._stamp(date))
        self._clone("stock_move_line", self.tpl["line_out"], units, over, params,
                    where="mod(g.i, 20) <> 19")

    def _returns(self, i0, i1, params):
        """A few delivered units come back (the host's return: origin_returned_move_id
        and a move_orig/move_dest link); half of those are shipped again to another
        customer a couple of days later."""
        first = i0 + (7 - i0) % self.return_every
        for i in range(first, i1, self.return_every):
            blk = i // self.block
            params.update(i=i, blk=blk, b=blk)
            self.cr.execute(
                "SELECT m.id, p.name, p.partner_id FROM stock_move m"
                " JOIN stock_picking p ON p.id = m.picking_id"
                " WHERE p.name = 'WH/OUT/' || %(prefix)s || lpad(%(blk)s::text, 7, '0')", params)
            out_move, out_name, partner = self.cr.fetchone()
            shipped = self._delivery_time("%(b)s")
            back = "(%s + interval '10 days')" % shipped
            pick, move = self._reserve("stock_picking", 1), self._reserve("stock_move", 1)
            name = "'WH/IN/' || %(prefix)s || 'R' || lpad(%(i)s::text, 7, '0')"
            params.update(pick=pick, move=move, out_move=out_move, partner=partner,
                          origin="Return of %s" % out_name)
            self._picking("ret", "(SELECT 1) g", "%(pick)s", name, back, params,
                          extra={"partner_id": "%(partner)s", "origin": "%(origin)s"})
            over = {"id": "%(move)s", "picking_id": "%(pick)s", "date": back,
                    "date_expected": shipped, "reference": name,
                    "origin_returned_move_id": "%(out_move)s"}
            over.update(self._stamp(back))
            self._clone("stock_move", self.tpl["move_ret"], "(SELECT 1) g", over, params)
            over = {"move_id": "%(move)s", "picking_id": "%(pick)s", "date": back,
                    "reference": name, "lot_id": _unit_lot("pump", "%(i)s")}
            over.update(self._stamp(back))
            self._clone("stock_move_line", self.tpl["line_ret"], "(SELECT 1) g", over, params)
            self.cr.execute("INSERT INTO stock_move_move_rel (move_orig_id, move_dest_id)"
                            " VALUES (%(out_move)s, %(move)s)", params)
            if (i - 7) % self.reship_every == 0:
                self._reship(params, shipped)

    def _reship(self, params, shipped):
        again = "(%s + interval '12 days')" % shipped
        pick, move = self._reserve("stock_picking", 1), self._reserve("stock_move", 1)
        name = "'WH/OUT/' || %(prefix)s || 'S' || lpad(%(i)s::text, 7, '0')"
        params.update(pick=pick, move=move)
        partner = "(%(customers)s::int[])[mod(%(b)s * 7 + 1, %(n_customers)s) + 1]"
        self._picking("out", "(SELECT 1) g", "%(pick)s", name, again, params,
                      extra={"partner_id": partner})
        over = {"id": "%(move)s", "picking_id": "%(pick)s", "date": again,
                "date_expected": again, "reference": name}
        over.update(self._qty("1", "product_uom_qty", "product_qty", "ordered_qty"))
        over.update(self._stamp(again))
        self._clone("stock_move", self.tpl["move_out"], "(SELECT 1) g", over, params)
        over = {"move_id": "%(move)s", "picking_id": "%(pick)s", "date": again,
                "reference": name, "lot_id": _unit_lot("pump", "%(i)s")}
        over.update(self._stamp(again))
        self._clone("stock_move_line", self.tpl["line_out"], "(SELECT 1) g", over, params)

    def _quants(self, first, last):
        """What the host's quant updates would have left after move lines
        ``first``..``last``: per product, location and lot the sum of what came in
        minus what went out; zero quants removed, as the host's clean-up does."""
        params = {"first": first, "last": last, "tpl_id": self.tpl["quant"],
                  "products": [p.id for p in self.products.values()]}
        self.cr.execute("""
            CREATE TEMP TABLE serial_bench_quant_delta ON COMMIT DROP AS
            SELECT product_id, location_id, lot_id, sum(q) AS q, max(date) AS in_date
              FROM (SELECT product_id, location_dest_id AS location_id, lot_id, qty_done AS q,
                           date
                      FROM stock_move_line WHERE id BETWEEN %(first)s AND %(last)s
                       AND state = 'done' AND product_id = ANY(%(products)s)
                    UNION ALL
                    SELECT product_id, location_id, lot_id, -qty_done, date
                      FROM stock_move_line WHERE id BETWEEN %(first)s AND %(last)s
                       AND state = 'done' AND product_id = ANY(%(products)s)) x
             GROUP BY product_id, location_id, lot_id
        """, params)
        self.cr.execute("""
            UPDATE stock_quant q SET quantity = q.quantity + d.q
              FROM serial_bench_quant_delta d
             WHERE q.product_id = d.product_id AND q.location_id = d.location_id
               AND COALESCE(q.lot_id, 0) = COALESCE(d.lot_id, 0)
               AND q.package_id IS NULL AND q.owner_id IS NULL
        """)
        self.cr.execute("""
            DELETE FROM serial_bench_quant_delta d USING stock_quant q
             WHERE q.product_id = d.product_id AND q.location_id = d.location_id
               AND COALESCE(q.lot_id, 0) = COALESCE(d.lot_id, 0)
               AND q.package_id IS NULL AND q.owner_id IS NULL
        """)
        over = {"product_id": "d.product_id", "location_id": "d.location_id",
                # the host's quant company is its location's (a stored related field)
                "company_id": "(SELECT l.company_id FROM stock_location l"
                              " WHERE l.id = d.location_id)",
                "lot_id": "d.lot_id", "quantity": "d.q", "reserved_quantity": "0",
                "in_date": "d.in_date"}
        over.update(self._stamp("d.in_date"))
        self._clone("stock_quant", self.tpl["quant"], "serial_bench_quant_delta d", over,
                    params, where="d.q <> 0")
        self.cr.execute("""
            DELETE FROM stock_quant WHERE product_id = ANY(%(products)s)
               AND quantity = 0 AND reserved_quantity = 0""", params)
        self.cr.execute("DROP TABLE serial_bench_quant_delta")

    # -- what the benchmark traces --------------------------------------------------
    def target_lot(self):
        """The first bulk capacitor lot: in 1/cap_lots of the finished units."""
        return self.env["stock.production.lot"].browse(self.cap_lot_ids[0])

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

from genealogy_data_clone import GenealogyClone
from genealogy_data_shape import (  # noqa: F401 (other benchmarks read them from here)
    ADDON_COPIED, BOMS, COMPONENTS, LEVELS, LEVEL_OFFSET, LEVEL_TAG, MO_STEP, SCALES,
    UNIT_LOTS, UNIT_STEP, _unit_lot)
from genealogy_data_shipping import GenealogyShipping


class GenealogyData(GenealogyClone, GenealogyShipping):

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

    def target_lot(self):
        """The first bulk capacitor lot: in 1/cap_lots of the finished units."""
        return self.env["stock.production.lot"].browse(self.cap_lot_ids[0])

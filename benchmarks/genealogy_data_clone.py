# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""How ``genealogy_data.GenealogyData`` finds the template rows the host wrote and
clones them in bulk SQL (see that module's docstring)."""
from genealogy_data_shape import ADDON_COPIED, BOMS, COMPONENTS, LEVELS, MO_STEP, UNIT_STEP


class GenealogyClone(object):
    """The template history and the bulk-clone primitives: ids reserved from the
    tables' own sequences, every column copied from the template row except keys,
    quantities, names and dates."""

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

    def _one(self, sql, params):
        self.cr.execute(sql, params)
        row = self.cr.fetchone()
        assert row, "template row not found: %s %s" % (sql, params)
        return row[0]

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

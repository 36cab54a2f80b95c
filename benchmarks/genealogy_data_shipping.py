# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer side of ``genealogy_data.GenealogyData``: deliveries, returns,
re-shipments and the quants they leave."""
from genealogy_data_shape import LEVEL_OFFSET, UNIT_STEP, _unit_lot


class GenealogyShipping(object):
    """Deliveries of finished units in blocks, a few returns and re-shipments, and
    the quants that result."""

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

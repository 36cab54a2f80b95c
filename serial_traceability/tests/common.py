# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Shared set-up for Odoo tests: products, BOMs and users made through the host."""
from odoo.tests.common import SavepointCase

from ..demo.factory import make_bom
from ..demo.flow import HostFlow


class TraceabilityCase(SavepointCase):
    """A three-level factory of its own (not the demo's): pump <- PCB <- capacitor
    lots and MCU serials; pump <- battery lots and an untracked housing."""

    @classmethod
    def setUpClass(cls):
        super(TraceabilityCase, cls).setUpClass()
        cls.flow = HostFlow(cls.env)
        cls.supplier = cls.env["res.partner"].create({"name": "T Supplier", "supplier": True})
        cls.customer_a = cls.env["res.partner"].create({"name": "T Hospital A"})
        cls.customer_b = cls.env["res.partner"].create({"name": "T Clinic B"})
        cls.cap = cls._product("T Capacitor", "lot")
        cls.mcu = cls._product("T MCU", "serial")
        cls.bat = cls._product("T Battery", "lot")
        cls.hsg = cls._product("T Housing", "none")
        cls.pcb = cls._product("T PCB", "serial")
        cls.pump = cls._product("T Pump", "serial")
        cls.pcb_bom = cls._bom(cls.pcb, [(cls.cap, 2), (cls.mcu, 1)])
        cls.pump_bom = cls._bom(cls.pump, [(cls.pcb, 1), (cls.bat, 1), (cls.hsg, 1)])
        cls.stock_user = cls._user("t_stock_user", ["stock.group_stock_user"])

    @classmethod
    def _product(cls, name, tracking):
        return cls.env["product.product"].create(
            {"name": name, "type": "product", "tracking": tracking})

    @classmethod
    def _bom(cls, product, lines):
        return make_bom(cls.env, product, lines)

    @classmethod
    def _user(cls, login, groups, company=None):
        company = company or cls.env.user.company_id
        return cls.env["res.users"].with_context(no_reset_password=True).create({
            "name": login, "login": login, "email": login + "@example.com",
            "company_id": company.id, "company_ids": [(6, 0, company.ids)],
            "groups_id": [(6, 0, [cls.env.ref(g).id for g in groups])],
        })

    def lot(self, product, name):
        return self.env["stock.production.lot"].search(
            [("product_id", "=", product.id), ("name", "=", name)])

    def receive_components(self, cap_lots=("C1", "C2"), mcus=4, bat_lots=("B1",)):
        lines = [(self.cap, 50, name) for name in cap_lots]
        lines += [(self.mcu, 1, "M%d" % i) for i in range(1, mcus + 1)]
        lines += [(self.bat, 20, name) for name in bat_lots]
        lines += [(self.hsg, 20, None)]
        return self.flow._receive(self.supplier, lines)

    def build_pcbs(self, plan):
        """plan: [(pcb serial, [(capacitor lot, qty)], mcu serial)] in one MO."""
        mo = self.flow._start_production(self.pcb, len(plan), self.pcb_bom)
        for serial, caps, mcu in plan:
            comps = [(self.cap, qty, lot) for lot, qty in caps] + [(self.mcu, 1, mcu)]
            self.flow._produce(mo, 1, serial, comps)
        return self.flow._finish(mo)

    def build_pumps(self, plan):
        """plan: [(pump serial, pcb serial, battery lot)] in one MO."""
        mo = self.flow._start_production(self.pump, len(plan), self.pump_bom)
        for serial, pcb, bat in plan:
            self.flow._produce(mo, 1, serial, [(self.pcb, 1, pcb), (self.bat, 1, bat)])
        return self.flow._finish(mo)

    def assert_kept_closure_is_the_walk(self):
        """The kept forward closure of every lot that went into something equals the
        walk over every company's links, with and without a depth limit."""
        cr = self.env.cr
        cr.execute("SELECT array_agg(id) FROM res_company")
        companies = cr.fetchone()[0]
        cr.execute("SELECT DISTINCT component_lot_id FROM serial_genealogy_edge"
                   " UNION SELECT root_lot_id FROM serial_genealogy_reach")
        for (lot_id,) in cr.fetchall():
            for max_depth in (None, 1, 2):
                answers = []
                for function in ("walk_forward", "reach_forward", "trace_forward",
                                 "reach_trace_forward"):
                    cr.execute("SELECT * FROM serial_genealogy_%s(%%s, %%s, %%s)" % function,
                               (lot_id, companies, max_depth))
                    answers.append(sorted(cr.fetchall(), key=repr))
                self.assertEqual(answers[1], answers[0], "lot %s, depth %s" % (lot_id, max_depth))
                self.assertEqual(answers[3], answers[2], "lot %s, depth %s" % (lot_id, max_depth))

    def names(self, rows, key="lot_id"):
        lots = self.env["stock.production.lot"].browse([r[key] for r in rows])
        return sorted(lots.mapped("name"))

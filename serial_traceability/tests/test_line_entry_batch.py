# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Entering many operation lines in one save (issue 19, item 3): the batched path and
the line-by-line one (``serial_traceability_host_path=True``) leave the same rows and
refuse the same input, the batched one before writing anything."""
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError

from ..models import stock_move_line_bulk_entry
from ..models.serial_guard import guarded
from .common import TraceabilityCase

HOST = {"serial_traceability_host_path": True}
LINES = 30
LINE_COLUMNS = ("product_id", "product_uom_id", "location_id", "location_dest_id", "lot_id",
                "lot_name", "qty_done", "product_uom_qty", "ordered_qty", "product_qty",
                "state", "package_id", "result_package_id", "owner_id",
                "reference = picking.name")
# a ship date is the validation's time, the delivery the path's own transfer
LOT_COLUMNS = ("unit_state", "customer_id", "ship_date IS NOT NULL",
               "delivery_picking_id = %(picking)s", "current_location_id", "supplier_id",
               "warranty_start", "warranty_end", "quality_state")


class _Undo(Exception):
    pass


class TestLineEntryBatch(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestLineEntryBatch, cls).setUpClass()
        cls.warehouse = cls.flow._warehouse()
        cls.mcu.product_tmpl_id.warranty_months = 12
        cls.flow._receive(cls.supplier, [(cls.mcu, 1, "E%02d" % i) for i in range(LINES)])
        cls.units = cls.env["stock.production.lot"].search(
            [("product_id", "=", cls.mcu.id)], order="name")
        cls.stock_env = cls.env(user=cls.stock_user.id)

    # -- data through the host's flows ---------------------------------------------------
    def transfer(self, kind, qty, product=None):
        """A confirmed receipt or delivery of ``qty`` MCUs, as the stock user."""
        product = product or self.mcu
        ptype = self.warehouse.in_type_id if kind == "in" else self.warehouse.out_type_id
        partner = self.supplier if kind == "in" else self.customer_a
        src = (partner.property_stock_supplier if kind == "in"
               else self.warehouse.lot_stock_id)
        dest = (self.warehouse.lot_stock_id if kind == "in"
                else partner.property_stock_customer)
        env = self.stock_env
        picking = env["stock.picking"].create({
            "picking_type_id": ptype.id, "partner_id": partner.id,
            "location_id": src.id, "location_dest_id": dest.id})
        env["stock.move"].create({
            "name": product.name, "picking_id": picking.id, "product_id": product.id,
            "product_uom": product.uom_id.id, "product_uom_qty": qty,
            "location_id": src.id, "location_dest_id": dest.id})
        picking.action_confirm()
        picking.move_line_ids.unlink()  # a receipt's suggested lines: typed anew below
        return picking

    def commands(self, move, values):
        """One (0, 0, vals) per dict of ``values``, as the web client sends them."""
        return [(0, 0, dict({
            "move_id": move.id, "picking_id": move.picking_id.id, "product_id": move.product_id.id,
            "product_uom_id": move.product_uom.id, "location_id": move.location_id.id,
            "location_dest_id": move.location_dest_id.id, "qty_done": 1.0}, **vals))
            for vals in values]

    # -- what a save leaves ----------------------------------------------------------------
    def seq(self):
        self.env.cr.execute("SELECT last_value FROM stock_move_line_id_seq")
        return self.env.cr.fetchone()[0]

    def end_state(self, picking, since_entry):
        """The rows the save left, ids aside (lines in creation order)."""
        cr = self.env.cr
        cr.execute("SELECT %s FROM stock_move_line JOIN stock_picking picking"
                   " ON picking.id = picking_id WHERE picking_id = %%s ORDER BY stock_move_line.id"
                   % ", ".join("stock_move_line.%s" % c if "=" not in c else c
                               for c in LINE_COLUMNS), (picking.id,))
        lines = cr.fetchall()
        cr.execute("SELECT name, %s FROM stock_production_lot WHERE product_id = %%(product)s "
                   "ORDER BY name" % ", ".join(LOT_COLUMNS),
                   {"product": self.mcu.id, "picking": picking.id})
        lots = cr.fetchall()
        cr.execute("SELECT res_model, action, field, old_value, new_value, user_id, "
                   "company_id, reason FROM serial_audit_entry WHERE id > %s ORDER BY id",
                   (since_entry,))
        entries = cr.fetchall()
        cr.execute("SELECT state, product_uom_qty FROM stock_move WHERE picking_id = %s "
                   "ORDER BY id", (picking.id,))
        moves = cr.fetchall()
        cr.execute("SELECT lot_id, location_id, quantity, reserved_quantity FROM stock_quant "
                   "WHERE product_id = %s ORDER BY lot_id, location_id", (self.mcu.id,))
        quants = cr.fetchall()
        return {"lines": lines, "lots": lots, "audit": entries, "moves": moves,
                "quants": quants, "picking": picking.state}

    def run_both(self, make, save):
        """``make()`` a transfer and ``save(picking)`` on each path, each undone after;
        returns {path: end state or the exception raised, and the line-id sequence}."""
        results = {}
        for path, context in (("ours", {}), ("host", HOST)):
            # the raised _Undo rolls the savepoint back: both paths start alike
            with self.assertRaises(_Undo):
                with self.env.cr.savepoint():
                    picking = make().with_context(**context)
                    self.env.cr.execute("SELECT COALESCE(max(id), 0) FROM serial_audit_entry")
                    since = self.env.cr.fetchone()[0]
                    before = self.seq()
                    try:
                        save(picking)
                    except (UserError, ValidationError) as exc:
                        results[path] = (type(exc), exc.name, self.seq() - before)
                    else:
                        picking.invalidate_cache()
                        results[path] = (self.end_state(picking, since), self.seq() - before)
                    raise _Undo()
            self.env.cache.invalidate()
        return results

    # -- same end state --------------------------------------------------------------------
    def test_delivery_lines_with_lots(self):
        def save(picking):
            move = picking.move_lines
            picking.write({"move_line_ids": self.commands(
                move, [{"lot_id": lot.id} for lot in self.units])})
        results = self.run_both(lambda: self.transfer("out", LINES), save)
        ours, host = results["ours"], results["host"]
        self.assertEqual(len(ours[0]["lines"]), LINES)
        self.assertEqual(ours, host)

    def test_receipt_serials_typed_on_the_move(self):
        """The move's detailed operations; the form's default_* keys are not the
        lines' defaults (the host drops them for a one2many)."""
        def save(picking):
            move = picking.move_lines.with_context(default_owner_id=self.supplier.id,
                                                   default_qty_done=5.0)
            commands = self.commands(move, [{"lot_name": "R%03d" % i} for i in range(LINES)])
            for command in commands:
                del command[2]["move_id"]
                del command[2]["qty_done"]
            move.write({"move_line_nosuggest_ids": commands})
        results = self.run_both(lambda: self.transfer("in", LINES), save)
        lines = results["ours"][0]["lines"]
        self.assertEqual([line[5] for line in lines], ["R%03d" % i for i in range(LINES)])
        self.assertEqual({(line[6], line[13]) for line in lines}, {(0.0, None)})
        self.assertEqual(results["ours"], results["host"])

    def test_lines_added_to_a_done_delivery(self):
        """The host moves stock at once for lines added to a done transfer; the addon
        refreshes their lots' unit fields and logs them in the audit trail."""
        delivered = self.units[:5]

        def make():
            picking = self.transfer("out", 2)
            move = picking.move_lines
            picking.write({"move_line_ids": self.commands(
                move, [{"lot_id": lot.id} for lot in delivered[:2]])})
            picking.button_validate()
            self.assertEqual(picking.state, "done")
            return picking

        def save(picking):
            picking.write({"move_line_ids": self.commands(
                picking.move_lines, [{"lot_id": lot.id} for lot in delivered[2:]])})
        results = self.run_both(make, save)
        ours = results["ours"][0]
        self.assertEqual([row[0:2] for row in ours["audit"] if row[0] == "stock.move.line"],
                         [("stock.move.line", "create")] * 3)
        shipped = {row[0] for row in ours["lots"] if row[4]}  # delivered by this one
        self.assertEqual(shipped, set(delivered.mapped("name")))
        self.assertEqual(results["ours"], results["host"])

    def test_save_is_batched(self):
        """Ours inserts the lines in a few statements: 30 lines take about the
        queries of 3; line by line, the host runs several per line."""
        counts = {}
        # the first save warms the access caches
        for path, context, units in (("warm", {}, self.units[:3]), ("few", {}, self.units[:3]),
                                     ("ours", {}, self.units),
                                     ("host", HOST, self.units)):
            with self.env.cr.savepoint():
                picking = self.transfer("out", len(units)).with_context(**context)
                cmds = self.commands(picking.move_lines, [{"lot_id": u.id} for u in units])
                self.assertFalse(picking.move_line_ids)  # in the cache, as on a form
                before = self.env.cr.sql_log_count
                picking.write({"move_line_ids": cmds})
                counts[path] = self.env.cr.sql_log_count - before
                self.assertEqual(len(picking.move_line_ids), len(units))
            self.env.cache.invalidate()
        self.assertLess(counts["ours"] - counts["few"], 10, counts)
        self.assertGreater(counts["host"], 2 * LINES, counts)

    def test_another_create_override_gets_every_line(self):
        """With a create() of stock.move.line it does not know (another module's),
        the save creates the lines one by one, still batched, to the same end."""
        def save(picking):
            with patch.object(stock_move_line_bulk_entry, "KNOWN_CREATE_MODULES",
                              frozenset(["odoo.models"])):
                self.assertFalse(self.env["stock.move.line"]._line_entry_create_is_known())
                before = self.env.cr.sql_log_count
                picking.write({"move_line_ids": self.commands(
                    picking.move_lines, [{"lot_id": lot.id} for lot in self.units])})
                self.assertGreater(self.env.cr.sql_log_count - before, LINES)
        results = self.run_both(lambda: self.transfer("out", LINES), save)
        self.assertEqual(len(results["ours"][0]["lines"]), LINES)
        self.assertEqual(results["ours"], results["host"])

    # -- bad input -------------------------------------------------------------------------
    def test_held_unit_refused_before_any_line_is_written(self):
        held = self.units[20]
        guarded(held.sudo()).write({"quality_hold": True, "hold_reason": "Leak test"})

        def save(picking):
            picking.write({"move_line_ids": self.commands(
                picking.move_lines, [{"lot_id": lot.id} for lot in self.units])})
        results = self.run_both(lambda: self.transfer("out", LINES), save)
        self.assertEqual(results["ours"][0], UserError)
        self.assertIn(held.name, results["ours"][1])
        self.assertEqual(results["ours"][:2], results["host"][:2])
        self.assertEqual(results["ours"][2], 0, "ours wrote lines before refusing")
        self.assertEqual(results["host"][2], 20)
        # the same lines without the held unit are saved
        ok = self.run_both(lambda: self.transfer("out", LINES - 1), lambda p: p.write({
            "move_line_ids": self.commands(p.move_lines, [
                {"lot_id": lot.id} for lot in self.units - held])}))
        self.assertEqual(len(ok["ours"][0]["lines"]), LINES - 1)
        self.assertEqual(ok["ours"], ok["host"])

    def test_held_unit_refused_on_the_move_without_move_in_the_lines(self):
        """The move's detailed operations send lines without their move: the host
        gives it to them before create."""
        held = self.units[3]
        guarded(held.sudo()).write({"quality_hold": True, "hold_reason": "Leak test"})

        def save(picking):
            move = picking.move_lines
            commands = self.commands(move, [{"lot_id": lot.id} for lot in self.units[:5]])
            for command in commands:
                del command[2]["move_id"]
            move.write({"move_line_ids": commands})
        results = self.run_both(lambda: self.transfer("out", 5), save)
        self.assertEqual(results["ours"][0], UserError)
        self.assertEqual(results["ours"], (UserError, results["host"][1], 0))

    def test_other_bad_lines_same_answer_on_save_and_on_validation(self):
        """Two units on a serial line, a serial typed twice: the host takes them into
        the lines and refuses them when the transfer is validated; a lot of another
        product it takes and validates. Both paths do the same, with the same message."""
        other = self.flow._lot(self.pcb, "P-OTHER")
        cases = {
            "two units": [{"lot_id": self.units[0].id, "qty_done": 2.0}],
            "typed twice": [{"lot_id": self.units[0].id}, {"lot_id": self.units[0].id}],
            "other product": [{"lot_id": other.id}, {"lot_id": self.units[1].id}],
        }
        for name, values in cases.items():
            def save(picking, values=tuple(values)):
                picking.write({"move_line_ids": self.commands(picking.move_lines, values)})
                picking.button_validate()
            results = self.run_both(lambda: self.transfer("out", 2), save)
            if name != "other product":
                self.assertIn(results["ours"][0], (UserError, ValidationError), name)
            self.assertEqual(results["ours"], results["host"], name)

    def test_serial_already_in_stock_received_again(self):
        """Received again while in stock: refused at validation, on both paths alike."""
        def save(picking):
            picking.write({"move_line_ids": self.commands(picking.move_lines, [
                {"lot_id": self.units[0].id}, {"lot_name": "NEW-1"}])})
            picking.button_validate()
        results = self.run_both(lambda: self.transfer("in", 2), save)
        self.assertIn(results["ours"][0], (UserError, ValidationError))
        self.assertEqual(results["ours"], results["host"])

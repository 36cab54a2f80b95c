# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

import psycopg2

from odoo import api
from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger

from ..lib import hashchain
from .audit_forge import Forger
from .common import TraceabilityCase

REFUSED = (AccessError, UserError)


class AuditCase(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(AuditCase, cls).setUpClass()
        cls.Entry = cls.env["serial.audit.entry"]
        cls.trace_user = cls._user("t_audit_trace",
                                   ["serial_traceability.group_traceability_user"])
        cls.manager = cls._user("t_audit_qm", ["serial_traceability.group_quality_manager"])
        cls.portal_user = cls._user("t_audit_portal", ["base.group_portal"])
        cls.company_b = cls.env["res.company"].create({"name": "T Other Company"})
        cls.other_manager = cls._user(
            "t_audit_other_qm", ["serial_traceability.group_quality_manager"],
            company=cls.company_b)

    def entries(self, record, action=None):
        domain = [("res_model", "=", record._name), ("res_id", "=", record.id)]
        if action:
            domain.append(("action", "=", action))
        return self.Entry.search(domain, order="sequence")

    def changes(self, entry):
        return json.loads(entry.old_value), json.loads(entry.new_value)

    def head(self):
        self.env.cr.execute("SELECT sequence, hash FROM serial_audit_entry "
                            "ORDER BY sequence DESC LIMIT 1")
        return self.env.cr.fetchone()

    def forger(self):
        return Forger(self.env.cr)


class TestAuditTrail(AuditCase):

    def test_lot_identity_create_write_unlink(self):
        Lot = self.env["stock.production.lot"].sudo(self.stock_user)
        lot = Lot.create({"name": "AUD-1", "product_id": self.pump.id})
        created = self.entries(lot, "create")
        self.assertEqual(len(created), 1)
        self.assertEqual(created.user_id, self.stock_user)
        self.assertEqual(created.user_name, self.stock_user.name)
        self.assertEqual(created.res_name, "AUD-1")
        self.assertEqual(self.changes(created)[1]["name"], "AUD-1")
        self.assertEqual(self.changes(created)[1]["product_id"][0], self.pump.id)

        lot.with_context(audit_reason="typo on the label").write(
            {"name": "AUD-1B", "ref": "R-7"})
        written = self.entries(lot, "write")
        self.assertEqual(len(written), 1, "one entry per record, not per field")
        self.assertEqual(written.field, "name,ref")
        self.assertEqual(self.changes(written),
                         ({"name": "AUD-1", "ref": None}, {"name": "AUD-1B", "ref": "R-7"}))
        self.assertEqual(written.reason, "typo on the label")
        self.assertEqual(written.user_id, self.stock_user)
        previous = self.Entry.search([("sequence", "=", written.sequence - 1)])
        self.assertEqual(written.prev_hash, previous.hash)

        lot.write({"ref": "R-7"})  # no change, no entry
        self.assertEqual(len(self.entries(lot)), 2)

        # database time: inside this transaction, not later than now
        self.env.cr.execute("""SELECT timestamp >= now() AT TIME ZONE 'UTC',
                                      timestamp <= clock_timestamp() AT TIME ZONE 'UTC'
                                 FROM serial_audit_entry WHERE id = %s""", (written.id,))
        self.assertEqual(self.env.cr.fetchone(), (True, True))

        lot_id = lot.id
        lot.sudo().unlink()
        gone = self.Entry.search([("res_model", "=", "stock.production.lot"),
                                  ("res_id", "=", lot_id), ("action", "=", "unlink")])
        self.assertEqual(self.changes(gone)[0]["name"], "AUD-1B")
        self.assertTrue(self.Entry._verify_chain()["ok"])

    def test_done_move_lines_processing_and_corrections(self):
        receipt = self.receive_components(cap_lots=("C1",), mcus=1, bat_lots=())
        cap_line = receipt.move_line_ids.filtered(lambda ml: ml.product_id == self.cap)
        done = self.entries(cap_line, "done")
        self.assertEqual(len(done), 1)
        new = self.changes(done)[1]
        self.assertEqual(new["lot_id"], [self.lot(self.cap, "C1").id, "C1"])
        self.assertEqual(new["qty_done"], 50.0)
        self.assertIn(receipt.name, done.res_name)
        # untracked housing line: processed too, without a lot
        hsg_line = receipt.move_line_ids.filtered(lambda ml: ml.product_id == self.hsg)
        self.assertNotIn("lot_id", self.changes(self.entries(hsg_line, "done"))[1])

        # a correction after validation, by a plain stock user
        c9 = self.flow._lot(self.cap, "C9")
        cap_line.sudo(self.stock_user).with_context(audit_reason="wrong lot scanned").write(
            {"lot_id": c9.id, "qty_done": 48})
        fix = self.entries(cap_line, "write")
        self.assertEqual(len(fix), 1)
        self.assertEqual(fix.user_id, self.stock_user)
        self.assertEqual(fix.field, "lot_id,qty_done")
        old, new = self.changes(fix)
        self.assertEqual((old["lot_id"][1], old["qty_done"]), ("C1", 50.0))
        self.assertEqual((new["lot_id"][1], new["qty_done"]), ("C9", 48.0))
        self.assertEqual(fix.reason, "wrong lot scanned")
        # the lot's audit button finds the move line entries naming it
        c1 = self.lot(self.cap, "C1")
        found = self.Entry.search(c1._audit_trail_domain())
        self.assertIn(done, found)
        self.assertIn(fix, found)

    def test_lines_not_done_are_not_audited(self):
        picking_type = self.flow._warehouse().in_type_id
        picking = self.env["stock.picking"].create({
            "picking_type_id": picking_type.id, "partner_id": self.supplier.id,
            "location_id": self.supplier.property_stock_supplier.id,
            "location_dest_id": picking_type.default_location_dest_id.id})
        move = self.env["stock.move"].create({
            "name": "x", "picking_id": picking.id, "product_id": self.cap.id,
            "product_uom": self.cap.uom_id.id, "product_uom_qty": 5,
            "location_id": picking.location_id.id,
            "location_dest_id": picking.location_dest_id.id})
        picking.action_confirm()
        line = self.env["stock.move.line"].create({
            "move_id": move.id, "picking_id": picking.id, "product_id": self.cap.id,
            "product_uom_id": self.cap.uom_id.id, "location_id": move.location_id.id,
            "location_dest_id": move.location_dest_id.id, "qty_done": 1})
        line.write({"qty_done": 5, "lot_id": self.flow._lot(self.cap, "C5").id})
        self.assertFalse(self.entries(line))

    def test_consumption_and_unbuild_of_genealogy_edges(self):
        self.receive_components()
        self.build_pcbs([("P1", [("C1", 2)], "M1")])
        p1, c1 = self.lot(self.pcb, "P1"), self.lot(self.cap, "C1")
        edge = self.env["serial.genealogy.edge"].search(
            [("component_lot_id", "=", c1.id), ("parent_lot_id", "=", p1.id)])
        consumed = self.entries(edge.move_line_id, "done")
        self.assertEqual(self.changes(consumed)[1]["lot_produced_id"], [p1.id, "P1"])
        self.assertEqual(self.changes(consumed)[1]["lot_id"], [c1.id, "C1"])

        self.env["mrp.unbuild"].create({
            "product_id": self.pcb.id, "bom_id": self.pcb_bom.id, "product_qty": 1,
            "product_uom_id": self.pcb.uom_id.id, "mo_id": edge.production_id.id,
            "lot_id": p1.id}).action_unbuild()
        retired = self.entries(edge, "unbuild")
        self.assertEqual(len(retired), 1)
        old, new = self.changes(retired)
        self.assertEqual((old["active"], new["active"]), (True, False))
        self.assertEqual(edge.unbuild_id.id, new["unbuild_id"][0])

    def test_log_api_validates_and_logs_many(self):
        lots = self.flow._lot(self.cap, "L1") | self.flow._lot(self.cap, "L2")
        with self.assertRaises(UserError):
            self.Entry._log(lots, "", {})
        with self.assertRaises(UserError):
            self.Entry._log(lots, "state", {"state": "done"})
        logged = self.Entry._log(lots, "state", {"state": ("draft", "done")}, reason="r")
        self.assertEqual(len(logged), 2)
        self.assertEqual(sorted(logged.mapped("res_id")), sorted(lots.ids))
        first, second = logged.sorted("sequence")
        self.assertEqual(second.sequence, first.sequence + 1)
        self.assertEqual(second.prev_hash, first.hash)
        self.assertEqual(first.timestamp, second.timestamp)
        # the acting user is the records' one, even through a sudo'ed trail model
        by_user = self.Entry.sudo()._log(lots[0].sudo(self.stock_user), "hold", {})
        self.assertEqual(by_user.user_id, self.stock_user)

    def test_nobody_edits_the_trail_through_the_orm(self):
        entry = self.Entry.search([], limit=1)
        self.assertTrue(entry, "the demo leaves entries")
        with self.assertRaises(UserError):
            entry.write({"reason": "x"})
        with self.assertRaises(UserError):
            entry.unlink()
        with self.assertRaises(UserError):
            self.Entry.create({"action": "write", "res_model": "x"})

    @mute_logger("odoo.sql_db")
    def test_sql_update_delete_truncate_are_refused(self):
        entry = self.Entry.search([], limit=1)
        for statement in ("UPDATE serial_audit_entry SET reason = 'x' WHERE id = %s",
                          "DELETE FROM serial_audit_entry WHERE id = %s",
                          "TRUNCATE serial_audit_entry CASCADE"):
            with self.assertRaises(psycopg2.Error), self.env.cr.savepoint():
                self.env.cr.execute(statement, (entry.id,))
        self.assertTrue(entry.exists())

    @mute_logger("odoo.sql_db")
    def test_sql_insert_is_refused_even_with_a_correct_hash(self):
        """Finding: a plain INSERT of a well-formed next entry went in. Now only the
        append function inserts, whatever the row."""
        before = self.head()
        forger = self.forger()
        for prev_hash in (None, "a" * 64):
            with self.assertRaises(psycopg2.Error) as caught, self.env.cr.savepoint():
                forger.copy_last_as_new(prev_hash=prev_hash)
            self.assertEqual(caught.exception.pgcode, "42501")  # insufficient_privilege
            self.assertIn("serial_audit_append() only", str(caught.exception))
        # nor from inside another function or a DO block
        with self.assertRaises(psycopg2.Error) as caught, self.env.cr.savepoint():
            self.env.cr.execute("""DO $$ BEGIN
                INSERT INTO serial_audit_entry /* serial_audit_append(integer,text,json) */
                SELECT * FROM serial_audit_entry ORDER BY sequence DESC LIMIT 1;
            END $$""")
        self.assertEqual(caught.exception.pgcode, "42501")
        self.assertEqual(self.head(), before)
        self.assertTrue(self.Entry._verify_chain()["ok"])

    def test_append_function_given_a_false_head_leaves_a_broken_link(self):
        """The append function trusts a head above its snapshot (REPEATABLE READ after
        waiting for the lock); a caller lying about it only leaves a visible break."""
        sequence, _head_hash = self.head()
        stranger = hashchain.entry_hash(hashchain.GENESIS, {"not": "in this chain"})
        self.env.cr.execute("SELECT serial_audit_append(%s, %s, %s)", (
            sequence + 1, stranger, '[{"res_model": "x", "action": "forged", "field": ""}]'))
        forged_id = self.env.cr.fetchone()[0]
        result = self.Entry._verify_chain()
        self.assertEqual((result["ok"], result["kind"]), (False, "link"))
        self.assertEqual(result["broken_id"], forged_id)
        self.assertEqual(result["broken_sequence"], sequence + 2)
        self.assertIn("link", result["message"])
        # entries appended afterwards chain on, the break stays where it is
        self.Entry._log(self.env.user, "state", {"x": (1, 2)})
        self.assertEqual(self.Entry._verify_chain()["broken_id"], forged_id)

    def test_forged_hash_is_detected(self):
        self.assertTrue(self.Entry._verify_chain()["ok"])
        forger = self.forger()
        sequence, _head_hash = self.head()
        with forger.triggers_off():
            forged = forger.copy_last_as_new()
            self.env.cr.execute("UPDATE serial_audit_entry SET hash = %s WHERE id = %s",
                                ("f" * 64, forged))
        result = self.Entry._verify_chain(page_size=7)
        self.assertFalse(result["ok"])
        self.assertEqual(result["broken_id"], forged)
        self.assertEqual(result["broken_sequence"], sequence + 1)
        self.assertIn("no. %d" % (sequence + 1), result["message"])
        self.assertIn("does not match its hash", result["message"])

    def test_edit_bypassing_the_trigger_is_detected(self):
        """A table owner can disable the trigger; the chain still names the entry."""
        target = self.Entry.search([], order="sequence", limit=1, offset=2)
        with self.env.cr.savepoint():
            self.env.cr.execute("ALTER TABLE serial_audit_entry "
                                "DISABLE TRIGGER serial_audit_entry_no_change")
            self.env.cr.execute("UPDATE serial_audit_entry SET new_value = '{}' WHERE id = %s",
                                (target.id,))
            self.env.cr.execute("ALTER TABLE serial_audit_entry "
                                "ENABLE TRIGGER serial_audit_entry_no_change")
            result = self.Entry._verify_chain()
            self.assertEqual(result["broken_id"], target.id)
            self.assertIn("does not match its hash", result["message"])

    @mute_logger("odoo.sql_db")
    def test_second_writer_waits_for_the_lock(self):
        """The head is read only under the advisory lock: while this transaction has
        appended (and so holds it), another connection cannot append at all. (Two
        committed writers racing, including the REPEATABLE READ retry, are shown by
        benchmarks/audit_concurrency.py on a throwaway database.)"""
        self.Entry._log(self.env.user, "state", {"x": (1, 2)})
        before = self.head()
        cr2 = self.registry.cursor()
        try:
            cr2.execute("SET lock_timeout = '300ms'")
            env2 = api.Environment(cr2, self.env.uid, {})
            with self.assertRaises(psycopg2.OperationalError) as caught:
                env2["serial.audit.entry"]._log(env2.user, "state", {"x": (2, 3)})
            self.assertEqual(caught.exception.pgcode, "55P03")  # lock_not_available
        finally:
            cr2.rollback()
            cr2.close()
        self.assertEqual(self.head(), before)
        self.Entry._log(self.env.user, "state", {"x": (3, 4)})
        self.assertTrue(self.Entry._verify_chain()["ok"])


class TestAuditAccess(AuditCase):
    """Access matrix of the audit models: model x user x operation."""

    WRITE_VALS = {"serial.audit.entry": {"reason": "x"}, "serial.audit.verify": {"message": "x"},
                  "serial.signature": {"reason": "x"}}

    def can(self, user, operation, model, record=None):
        try:
            with self.env.cr.savepoint():
                if operation == "read":
                    record.sudo(user).read(list(self.WRITE_VALS[model]))
                elif operation == "create":
                    self.env[model].sudo(user).create({})
                elif operation == "write":
                    record.sudo(user).write(self.WRITE_VALS[model])
                else:
                    record.sudo(user).unlink()
            return True
        except REFUSED:
            return False

    def assert_matrix(self, model, record, expected):
        users = {"stock": self.stock_user, "trace": self.trace_user, "qm": self.manager,
                 "portal": self.portal_user, "other_company": self.other_manager}
        for who, row in expected.items():
            for operation, allowed in zip(("read", "create", "write", "unlink"), row):
                self.assertEqual(self.can(users[who], operation, model, record), allowed,
                                 "%s %s %s" % (model, who, operation))

    def test_audit_entry_matrix(self):
        entry = self.Entry._log(self.env.user, "state", {"x": (1, 2)})
        self.assertEqual(entry.company_id, self.env.user.company_id)
        self.assert_matrix("serial.audit.entry", entry, {
            "stock": (False, False, False, False),
            "trace": (True, False, False, False),
            "qm": (True, False, False, False),
            "portal": (False, False, False, False),
            "other_company": (False, False, False, False),
        })

    def test_verification_matrix(self):
        run = self.env["serial.audit.verify"].sudo(self.manager).create({})
        self.assertEqual(run.state, "intact")
        self.assert_matrix("serial.audit.verify", run, {
            "stock": (False, False, False, False),
            "trace": (False, False, False, False),
            "qm": (True, True, False, False),
            "portal": (False, False, False, False),
            "other_company": (False, True, False, False),
        })

    def test_verify_reports_and_is_logged(self):
        action = self.env["serial.audit.verify"].sudo(self.manager).action_verify_now()
        run = self.env["serial.audit.verify"].browse(action["res_id"])
        self.assertEqual(run.state, "intact")
        self.assertEqual(run.user_id, self.manager)
        self.assertGreater(run.entry_count, 0)
        self.assertIn("intact", run.message)
        logged = self.entries(run, "create")
        self.assertEqual(self.changes(logged)[1]["head_hash"], run.head_hash)
        with self.assertRaises(UserError):
            self.env["serial.audit.verify"].sudo(self.manager).create({"state": "intact"})
        with self.assertRaises(AccessError):
            self.env["serial.audit.verify"].sudo(self.stock_user).action_verify_now()

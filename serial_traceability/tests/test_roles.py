# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What installing turns on, and the demo's one user per role: each can do its
journey and is refused what belongs to another role."""
from odoo.exceptions import AccessError

from .common import TraceabilityCase


class TestRoles(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestRoles, cls).setUpClass()
        users = cls.env["res.users"]
        cls.operator = users.search([("login", "=", "operator")])
        cls.quality = users.search([("login", "=", "quality")])
        cls.auditor = users.search([("login", "=", "auditor")])
        cls.pump7 = cls.env["stock.production.lot"].search([("name", "=", "PUMP-0007")])

    def visible_menus(self, user):
        menus = self.env["ir.ui.menu"].sudo(user)
        return menus.browse(menus._visible_menu_ids())

    def lot_columns_of_detailed_operations(self, user):
        """The columns of a receipt's Detailed Operations the web client gets for
        ``user`` (fields of a group the user lacks are taken out of the view)."""
        view = self.env["stock.picking"].sudo(user).fields_view_get(
            view_id=self.env.ref("stock.view_picking_form").id, view_type="form")
        tree = view["fields"]["move_line_ids"]["views"]["tree"]["fields"]
        return {"lot_id", "lot_name"} & set(tree)

    # -- what installing turns on -------------------------------------------------
    def test_install_gives_internal_users_lots_and_locations(self):
        implied = self.env.ref("base.group_user").implied_ids
        self.assertIn(self.env.ref("stock.group_production_lot"), implied)
        self.assertIn(self.env.ref("stock.group_stock_multi_locations"), implied)
        # a user made after the install, with Inventory rights only, gets them too
        self.assertTrue(self.stock_user.has_group("stock.group_production_lot"))
        self.assertTrue(self.stock_user.has_group("stock.group_stock_multi_locations"))

    def test_inventory_user_sees_lot_columns_lots_menu_and_lookup(self):
        self.assertEqual(self.lot_columns_of_detailed_operations(self.stock_user),
                         {"lot_id", "lot_name"})
        menus = self.visible_menus(self.stock_user)
        for xmlid in ("stock.menu_action_production_lot_form",
                      "serial_traceability.serial_lookup_menu",
                      "serial_traceability.serial_unit_history_menu"):
            self.assertIn(self.env.ref(xmlid), menus, xmlid)
        # the portal has neither
        portal = self._user("t_roles_portal", ["base.group_portal"])
        self.assertFalse(portal.has_group("stock.group_production_lot"))

    # -- the demo users -----------------------------------------------------------
    def test_demo_users_log_in_with_their_login_as_password(self):
        for user in (self.operator, self.quality, self.auditor):
            self.assertEqual(len(user), 1)
            self.env["res.users"].sudo(user).check(self.env.cr.dbname, user.id, user.login)

    def test_operator_is_an_inventory_user_only(self):
        op = self.operator
        self.assertTrue(op.has_group("stock.group_stock_user"))
        self.assertFalse(op.has_group("stock.group_stock_manager"))
        self.assertFalse(op.has_group("serial_traceability.group_traceability_user"))
        self.assertEqual(self.lot_columns_of_detailed_operations(op), {"lot_id", "lot_name"})
        # the journey: receive and number units, look a unit up
        receipt_type = self.flow._warehouse().in_type_id
        self.assertTrue(self.env["stock.picking"].sudo(op).check_access_rights("create"))
        self.assertTrue(receipt_type.use_create_lots)
        self.assertEqual(self.env["stock.production.lot"].sudo(op).find_by_scan(
            "PUMP-0007")["lot_ids"], self.pump7.ids)
        # not the quality manager's records
        for model in ("serial.recall", "serial.audit.entry"):
            with self.assertRaises(AccessError):
                self.env[model].sudo(op).search([], limit=1)

    def test_quality_manager_traces_and_recalls(self):
        qm = self.quality
        self.assertTrue(qm.has_group("serial_traceability.group_quality_manager"))
        rows = self.pump7.sudo(qm).get_trace("backward")
        names = set(self.env["stock.production.lot"].browse(
            [r["lot_id"] for r in rows]).mapped("name"))
        self.assertTrue({"PCB-0007", "CAP-L7", "MCU-0007"} <= names)
        self.assertTrue(self.env["serial.recall"].sudo(qm).check_access_rights("create"))
        self.assertIn(self.env.ref("serial_traceability.serial_recall_wizard_menu"),
                      self.visible_menus(qm))

    def test_auditor_reads_trail_events_and_recalls_and_changes_nothing(self):
        auditor = self.auditor
        self.assertTrue(auditor.has_group("serial_traceability.group_auditor"))
        readable = ("serial.audit.entry", "serial.audit.verify", "serial.signature",
                    "serial.quality.event", "serial.quality.measurement", "serial.recall",
                    "serial.recall.line")
        for model in readable:
            records = self.env[model].sudo(auditor)
            self.assertTrue(records.check_access_rights("read"), model)
            for mode in ("write", "create", "unlink"):
                self.assertFalse(records.check_access_rights(mode, raise_exception=False),
                                 "%s %s" % (model, mode))
        # the demo's signed events and their trail are there to read
        event = self.env["serial.quality.event"].sudo(auditor).search(
            [("state", "=", "done")], limit=1)
        self.assertTrue(event.signature_ids)
        self.assertTrue(self.env["serial.audit.entry"].sudo(auditor).search_count([]))
        draft = self.env["serial.quality.event"].create(
            {"kind": "note", "description": "draft", "lot_ids": [(6, 0, self.pump7.ids)]})
        with self.assertRaises(AccessError):
            draft.sudo(auditor).write({"description": "edited by the auditor"})
        # the units those records name, read-only; no Inventory operations
        lots = self.env["stock.production.lot"].sudo(auditor)
        self.assertEqual(event.lot_ids.sudo(auditor).read(["name"])[0]["name"],
                         event.lot_ids[0].name)
        self.assertFalse(lots.check_access_rights("write", raise_exception=False))
        with self.assertRaises(AccessError):
            self.env["stock.picking"].sudo(auditor).search([], limit=1)
        menus = self.visible_menus(auditor)
        self.assertIn(self.env.ref("serial_traceability.menu_audit_trail"), menus)
        self.assertIn(self.env.ref("serial_traceability.menu_audit_recall"), menus)
        self.assertNotIn(self.env.ref("stock.menu_stock_root"), menus)

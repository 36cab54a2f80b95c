# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every stored model of the addon × six kinds of user × read/create/write/unlink.

MATRIX says, per model, what each role may do to a record of the main company
(r read, c create, w write, u unlink; "" nothing). A model of the addon without an
entry fails the test: whoever adds a model adds its row here, and a SPECS entry when
some role may create, write or delete it, or when the ACL alone does not refuse
(record rules). Each allowed cell really runs the operation (then rolls it back);
each refused cell must end in AccessError, from the ACL or from a record rule.

"other_company" is a Quality Manager of a second company: anything it is refused
on the first company's records comes from the record rules. Creating in a model
whose records always belong to the creator's company (audit verification runs) is
allowed there: the record is its own company's. The host's lots are in the matrix
too (HOST_MODELS): the addon gives them a company and a rule. Beyond the cells,
``test_second_company_sees_nothing`` searches every model as the second company's
users: nothing the first company made is visible.
"""
from odoo.exceptions import AccessError

from .common import TraceabilityCase

ROLES = ("stock_user", "trace_user", "quality_manager", "auditor", "portal", "other_company")
# Host models the addon gives a company and a record rule.
HOST_MODELS = ("stock.production.lot",)
OPERATIONS = {"r": "read", "c": "create", "w": "write", "u": "unlink"}

MATRIX = {
    "serial.audit.entry": {"stock_user": "", "trace_user": "r", "quality_manager": "r",
                           "auditor": "r", "portal": "", "other_company": ""},
    "serial.audit.verify": {"stock_user": "", "trace_user": "", "quality_manager": "rc",
                            "auditor": "r", "portal": "", "other_company": "c"},
    "serial.genealogy.edge": {"stock_user": "r", "trace_user": "r", "quality_manager": "r",
                              "auditor": "", "portal": "", "other_company": ""},
    "serial.quality.event": {"stock_user": "r", "trace_user": "rcw",
                             "quality_manager": "rcwu", "auditor": "r", "portal": "",
                             "other_company": ""},
    "serial.quality.measurement": {"stock_user": "r", "trace_user": "rcwu",
                                   "quality_manager": "rcwu", "auditor": "r", "portal": "",
                                   "other_company": ""},
    # rows written by the label reports only; administrators alone change them
    "serial.label.log": {"stock_user": "", "trace_user": "r", "quality_manager": "r",
                         "auditor": "r", "portal": "", "other_company": ""},
    # made by the Release button, completed by its signature
    "serial.release": {"stock_user": "", "trace_user": "r", "quality_manager": "r",
                       "auditor": "r", "portal": "", "other_company": ""},
    "serial.recall": {"stock_user": "", "trace_user": "r", "quality_manager": "rcwu",
                      "auditor": "r", "portal": "", "other_company": ""},
    # lines change only through the campaign's methods (issue 14), whatever the ACL
    "serial.recall.line": {"stock_user": "", "trace_user": "r", "quality_manager": "r",
                           "auditor": "r", "portal": "", "other_company": ""},
    # notices are recorded by "Notify customers" only (issue 18)
    "serial.recall.notice": {"stock_user": "", "trace_user": "r", "quality_manager": "r",
                             "auditor": "r", "portal": "", "other_company": ""},
    "serial.signature": {"stock_user": "", "trace_user": "r", "quality_manager": "r",
                         "auditor": "r", "portal": "", "other_company": ""},
    "serial.signature.lockout": {"stock_user": "", "trace_user": "", "quality_manager": "r",
                                 "auditor": "", "portal": "", "other_company": ""},
    "serial.unit.history": {"stock_user": "r", "trace_user": "r", "quality_manager": "r",
                            "auditor": "", "portal": "", "other_company": ""},
    "stock.production.lot": {"stock_user": "rcwu", "trace_user": "rcwu",
                             "quality_manager": "rcwu", "auditor": "r", "portal": "",
                             "other_company": ""},
}


def _draft_event(case):
    return case.env["serial.quality.event"].create({
        "kind": "test", "result": "pass", "lot_ids": [(6, 0, case.pump_lot.ids)],
        "company_id": case.company.id})


def _measurement(case):
    return case.env["serial.quality.measurement"].create(
        {"event_id": _draft_event(case).id, "parameter": "Flow", "value": 1.0})


def _recall(case):
    return case.env["serial.recall"].create(
        {"reason": "Access matrix", "company_id": case.company.id})


def _recall_line(case):
    recall = _recall(case)
    recall.write({"suspect_lot_ids": [(6, 0, case.pump_lot.ids)], "include_shipped": True})
    recall._fill_lines()  # lines come from the scope query only
    return recall.line_ids[:1]


def _recall_notice(case):
    return case.env["serial.recall.notice"].sudo().create(
        {"recall_id": _recall(case).id, "partner_id": case.customer_a.id,
         "email": "mx@example.com"})


def _fresh_lot(case):
    return case.env["stock.production.lot"].create(_new_lot(case))


def _new_lot(case):
    return {"name": "MX-NEW", "product_id": case.shared.id, "company_id": case.company.id}


def _first(model, domain):
    return lambda case: case.env[model].search(domain(case), limit=1, order="id")


# sample: a record of the main company to read/write/delete (a fresh one when it is
# deleted); create: values of a new record of the main company; write: values.
SPECS = {
    "serial.audit.entry": {"sample": _first("serial.audit.entry",
                                            lambda c: [("company_id", "=", c.company.id)])},
    "serial.audit.verify": {"sample": lambda c: c.verify_run, "create": lambda c: {}},
    "serial.genealogy.edge": {"sample": _first(
        "serial.genealogy.edge", lambda c: [("parent_lot_id", "=", c.pump_lot.id)])},
    "serial.quality.event": {
        "sample": _draft_event, "write": {"description": "edited"},
        "create": lambda c: {"kind": "note", "description": "new",
                             "company_id": c.company.id}},
    "serial.quality.measurement": {
        "sample": _measurement, "write": {"value": 2.0},
        "create": lambda c: {"event_id": _draft_event(c).id, "parameter": "P",
                             "value": 1.0}},
    "serial.label.log": {"sample": _first("serial.label.log",
                                          lambda c: [("lot_id", "=", c.pump_lot.id)])},
    "serial.release": {"sample": _first("serial.release",
                                        lambda c: [("lot_ids", "in", c.pump_lot.ids)])},
    "serial.recall": {
        "sample": _recall, "write": {"drill": True},
        "create": lambda c: {"reason": "new", "company_id": c.company.id}},
    "serial.recall.line": {
        "sample": _recall_line, "write": {"qty": 2.0},
        "create": lambda c: {"recall_id": _recall(c).id, "lot_id": c.pump_lot.id}},
    "serial.recall.notice": {"sample": _recall_notice},
    "serial.signature": {"sample": lambda c: c.signed_event.signature_ids[:1]},
    "serial.signature.lockout": {"sample": lambda c: c.env["serial.signature.lockout"]._lock(
        c.stock_user, c.pump_lot, 5)},
    "serial.unit.history": {"sample": _first(
        "serial.unit.history",
        lambda c: [("lot_id", "=", c.pump_lot.id), ("event_type", "=", "shipped")])},
    "stock.production.lot": {"sample": _fresh_lot, "write": {"ref": "edited"},
                             "create": _new_lot},
}


class _Undo(Exception):
    """Rolls the savepoint of an allowed operation back."""


class TestAccessMatrix(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestAccessMatrix, cls).setUpClass()
        cls.company = cls.env.user.company_id
        cls.other = other = cls.env["res.company"].create({"name": "T Other Company"})
        cls.users = {
            "stock_user": cls.stock_user,
            "trace_user": cls._user("t_mx_trace", ["serial_traceability.group_traceability_user"]),
            "quality_manager": cls._user("t_mx_qm", ["serial_traceability.group_quality_manager"]),
            "auditor": cls._user("t_mx_auditor", ["serial_traceability.group_auditor"]),
            "portal": cls._user("t_mx_portal", ["base.group_portal"]),
            "other_company": cls._user(
                "t_mx_other", ["serial_traceability.group_quality_manager"], company=other),
        }
        # The second company's Inventory user, for what it may search.
        cls.other_stock_user = cls._user("t_mx_other_stock", ["stock.group_stock_user"],
                                         company=other)
        # A product in both companies' catalogues: lots of it may be made in either.
        cls.shared = cls._product("T Shared Sensor", "serial")
        cls.shared.product_tmpl_id.company_id = False
        # One of everything, made through the host flows and the signing dialog.
        flow = cls.flow
        cls.pump.product_tmpl_id.serial_requires_release = True
        flow._receive(cls.supplier, [(cls.cap, 10, "MX-C1"), (cls.mcu, 1, "MX-M1"),
                                     (cls.bat, 5, "MX-B1"), (cls.hsg, 5, None)])
        mo = flow._start_production(cls.pcb, 1, cls.pcb_bom)
        flow._produce(mo, 1, "MX-P1", [(cls.cap, 2, "MX-C1"), (cls.mcu, 1, "MX-M1")])
        flow._finish(mo)
        mo = flow._start_production(cls.pump, 1, cls.pump_bom)
        flow._produce(mo, 1, "MX-U1", [(cls.pcb, 1, "MX-P1"), (cls.bat, 1, "MX-B1")])
        flow._finish(mo)
        cls.pump_lot = flow._lot(cls.pump, "MX-U1")
        qm = cls.users["quality_manager"]
        qm.password = "mx-qm-pw"
        cls.signed_event = _draft_event(cls)
        cls.env["serial.sign.wizard"].sudo(qm).create({
            "res_model": cls.signed_event._name, "res_id": cls.signed_event.id,
            "meaning": "approval", "password": "mx-qm-pw"}).action_sign()
        release = cls.pump_lot.sudo(qm).action_serial_release()["context"]
        cls.env["serial.sign.wizard"].sudo(qm).create({
            "res_model": release["default_res_model"], "res_id": release["default_res_id"],
            "meaning": "release", "password": "mx-qm-pw"}).action_sign()
        cls.env.ref("serial_traceability.serial_label_thermal_report").render_qweb_html(
            cls.pump_lot.ids)
        delivery = flow._deliver(cls.customer_a, [(cls.pump, 1, cls.pump_lot)])
        flow._return(delivery, [(cls.pump, 1, cls.pump_lot)])
        flow._deliver(cls.customer_b, [(cls.pump, 1, cls.pump_lot)])
        cls.verify_run = cls.env["serial.audit.verify"].create({})
        _measurement(cls)
        _recall_line(cls)
        _recall_notice(cls)
        SPECS["serial.signature.lockout"]["sample"](cls)

    def _models(self):
        return sorted(
            name for name, model in self.env.registry.models.items()
            if getattr(model, "_original_module", None) == "serial_traceability"
            and not model._abstract and not model._transient) + list(HOST_MODELS)

    def _spec(self, model, key):
        spec = SPECS.get(model, {})
        if key not in spec:
            self.fail("SPECS[%r] needs a %r entry to test this cell (see the module doc)."
                      % (model, key))
        return spec[key]

    def _sample(self, model):
        record = self._spec(model, "sample")(self)
        self.assertEqual(len(record), 1, "SPECS[%r]['sample'] found no record" % model)
        if "company_id" in record._fields and record.company_id:
            self.assertEqual(record.company_id, self.company,
                             "the sample of %s must belong to the main company" % model)
        return record

    def _stored_field(self, model):
        return next(name for name, field in self.env[model]._fields.items()
                    if field.store and field.column_type and name != "id")

    def _allowed(self, model, op, user):
        """True when ``user`` may ``op`` a record of the main company, False on
        AccessError; anything else fails the test as it is."""
        mode = OPERATIONS[op]
        try:
            with self.env.cr.savepoint():
                self.env[model].sudo(user).check_access_rights(mode)
                if op == "c":
                    self.env[model].sudo(user).create(self._spec(model, "create")(self))
                else:
                    record = self._sample(model).sudo(user)
                    if op == "r":
                        record.read([self._stored_field(model)])
                    elif op == "w":
                        record.write(self._spec(model, "write"))
                    else:
                        record.unlink()
                raise _Undo()
        except _Undo:
            return True
        except AccessError:
            return False
        finally:
            self.env.cache.invalidate()
            # recomputations the rolled-back operation queued (as its user) are moot
            self.env.all.todo.clear()

    def test_every_model_has_an_entry(self):
        models = self._models()
        missing = [m for m in models if m not in MATRIX]
        self.assertFalse(missing, "models of the addon without an access-matrix entry: %s"
                         % ", ".join(missing))
        stale = sorted(set(MATRIX) - set(models))
        self.assertFalse(stale, "access-matrix entries for models that no longer exist: %s"
                         % ", ".join(stale))
        for model, row in MATRIX.items():
            self.assertEqual(set(row), set(ROLES), "%s: one cell string per role" % model)
            self.assertFalse(set("".join(row.values())) - set(OPERATIONS), model)

    def test_access_matrix(self):
        wrong = []
        for model in self._models():
            for role in ROLES:
                expected = MATRIX.get(model, {}).get(role, "")
                for op in OPERATIONS:
                    allowed = self._allowed(model, op, self.users[role])
                    if allowed != (op in expected):
                        wrong.append("%s %s %s: %s" % (
                            model, role, OPERATIONS[op], "allowed" if allowed else "refused"))
        self.assertFalse(wrong, "cells that differ from MATRIX:\n" + "\n".join(wrong))

    def test_second_company_sees_nothing(self):
        """Every model of the addon, the lots and the unit history: the first company
        made rows of each (the history: receipts, builds, consumption, deliveries and
        a customer return), the second company's users find none of them."""
        event_types = set(self.env["serial.unit.history"].search(
            [("lot_id", "=", self.pump_lot.id)]).mapped("event_type"))
        self.assertTrue({"produced", "shipped", "returned"} <= event_types, event_types)
        self.assertTrue(self.env["serial.unit.history"].search(
            [("event_type", "=", "received")]))
        seen = []
        for model in self._models():
            self.assertTrue(self.env[model].search_count([]), "%s: nothing made" % model)
            for user in (self.users["other_company"], self.other_stock_user):
                Model = self.env[model].sudo(user)
                if not Model.check_access_rights("read", raise_exception=False):
                    continue
                # Rows of the second company itself (its users' signing names) are its own.
                found = Model.search([]).sudo().filtered(
                    lambda r: "company_id" not in r._fields or r.company_id != self.other)
                if found:
                    seen.append("%s sees %d %s" % (user.login, len(found), model))
        self.assertFalse(seen, "\n".join(seen))

    def test_menus_each_role_sees(self):
        """The Traceability menu and what each role finds under it (a user who cannot
        see the host's lots would not see the menu at all)."""
        menus = {xmlid: self.env.ref("serial_traceability." + xmlid).id for xmlid in (
            "menu_traceability_root", "serial_lookup_menu", "serial_recall_menu",
            "serial_recall_wizard_menu", "serial_audit_verify_menu_run")}
        expected = {
            "trace_user": {"menu_traceability_root", "serial_lookup_menu",
                           "serial_recall_menu"},
            "quality_manager": set(menus),
        }
        for role, visible in expected.items():
            seen = self.env["ir.ui.menu"].sudo(self.users[role])._visible_menu_ids()
            self.assertEqual({x for x, menu_id in menus.items() if menu_id in seen}, visible,
                             role)

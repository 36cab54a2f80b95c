# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Closed means closed (issue 14): a closed recall and its lines, an approved quality
event, its measurements and its certificates are read-only for everyone, the
administrator included; the campaign's steps and the Amend path still work."""
import base64

from odoo import fields
from odoo.exceptions import AccessError, UserError

from ..models.serial_guard import GUARD_KEY
from .quality_common import QualityCase
from .recall_common import QM_PASSWORD, RecallCase

REFUSED = (UserError, AccessError)
COA = base64.b64encode(b"CoA lot 1: conforms").decode()
FORGED = base64.b64encode(b"CoA lot 1: conforms (forged)").decode()


class RefusalMixin(object):

    def refused(self, call, exception=REFUSED):
        with self.assertRaises(exception):
            with self.env.cr.savepoint():
                call()
        self.env.cache.invalidate()

    def entries(self, record):
        return self.env["serial.audit.entry"].search_count(
            [("res_model", "=", record._name), ("res_id", "=", record.id)])


class TestClosedRecall(RefusalMixin, RecallCase):

    def open_recall(self):
        u1, u2 = self.build_two_pumps()
        delivery = self.flow._deliver(self.customer_a, [(self.pump, 1, u1), (self.pump, 1, u2)])
        recall = self.create_recall(self.lot(self.cap, "C1") | self.lot(self.cap, "C2"))
        recall.action_open()
        return recall, delivery

    def close(self, recall):
        action = recall.action_close()
        if action["res_model"] == "serial.recall.close":  # units still at customers
            action = self.env["serial.recall.close"].sudo(self.qm).with_context(
                **action["context"]).create({"reason": "Units destroyed on site"}
                                            ).action_confirm()
        self.env["serial.sign.wizard"].sudo(self.qm).with_context(**action["context"]).create(
            {"meaning": "approval", "password": QM_PASSWORD}).action_sign()
        recall.invalidate_cache()

    def test_state_changes_only_through_the_campaigns_steps(self):
        recall, _delivery = self.open_recall()
        as_qm = recall.sudo(self.qm)
        for context in ({}, {GUARD_KEY: True}):
            self.refused(lambda c=context: as_qm.with_context(**c).write({"state": "closed"}))
            self.refused(lambda c=context: as_qm.with_context(**c).write(
                {"closed_date": fields.Datetime.now()}))
            self.refused(lambda c=context: as_qm.with_context(**c).write({"state": "draft"}))
        self.assertEqual((recall.state, recall.closed_date), ("open", False))
        self.refused(lambda: self.env["serial.recall"].sudo(self.qm).create(
            {"reason": "forged", "state": "closed"}))
        self.refused(lambda: as_qm.unlink())
        self.close(recall)
        self.assertEqual((recall.state, recall.signature_state), ("closed", "valid"))
        for user in (self.qm, self.env.user):
            closed = recall.sudo(user)
            self.refused(lambda r=closed: r.write({"state": "draft"}))
            self.refused(lambda r=closed: r.write({"reason": "rewritten"}))
            self.refused(lambda r=closed: r.unlink())
        self.assertEqual(recall.state, "closed")
        recall.sudo(self.qm).message_post(body="Effectiveness check filed.")  # chatter stays
        self.assertEqual(recall.signature_state, "valid")

    def test_lines_change_only_through_containment_and_recovery(self):
        recall, delivery = self.open_recall()
        lines = self.by_lot(recall)
        u1_line = lines["U1"]
        Line = self.env["serial.recall.line"]
        for user in (self.qm, self.env.user):
            line = u1_line.sudo(user)
            self.refused(lambda l=line: l.write({"recovered": True}))
            self.refused(lambda l=line: l.write({"lot_id": lines["P1"].lot_id.id}))
            self.refused(lambda l=line: l.unlink())
            self.refused(lambda u=user: Line.sudo(u).create(
                {"recall_id": recall.id, "lot_id": self.lot(self.bat, "B1").id}))
        self.assertFalse(u1_line.recovered)
        # the legitimate ways: a return validated by a stock user, a scan by the manager
        self.flow.sudo(self.stock_user)._return(delivery, [(self.pump, 1, lines["U1"].lot_id)])
        self.assertTrue(u1_line.recovered)
        scan = self.env["serial.recall.scan"].sudo(self.qm).create({"recall_id": recall.id})
        scan._scan("U2")
        scan.action_confirm()
        self.assertTrue(lines["U2"].recovered)
        recall.sudo(self.qm).action_quarantine()
        self.assertTrue(lines["C1"].action_done)

    def test_closed_recalls_lines_are_read_only_for_everyone(self):
        recall, _delivery = self.open_recall()
        self.close(recall)
        line = self.by_lot(recall)["U1"]
        count, units = self.entries(line), recall.line_count
        for user in (self.qm, self.env.user):
            as_user = line.sudo(user)
            self.refused(lambda l=as_user: l.write({"lot_id": self.lot(self.bat, "B1").id}))
            self.refused(lambda l=as_user: l.write({"partner_id": self.customer_b.id}))
            self.refused(lambda l=as_user: l.unlink())
            self.refused(lambda u=user: self.env["serial.recall.line"].sudo(u).create(
                {"recall_id": recall.id, "lot_id": self.lot(self.bat, "B1").id}))
        self.assertEqual((line.lot_id.name, line.partner_id, recall.line_count),
                         ("U1", self.customer_a, units))
        self.assertEqual(self.entries(line), count)
        self.assertFalse(recall._recover_lots(line.lot_id), "a closed campaign stays as closed")


class TestApprovedEvent(RefusalMixin, QualityCase):

    def certified_event(self):
        u1 = self.make_pumps(1)[0]
        event = self.new_event([u1], kind="certificate")
        coa = self.env["ir.attachment"].sudo(self.trace_user).create({
            "name": "CoA-1.txt", "datas_fname": "CoA-1.txt", "datas": COA,
            "res_model": event._name, "res_id": event.id})
        event.sudo(self.trace_user).write({"attachment_ids": [(6, 0, coa.ids)]})
        return self.approve(event), coa

    def test_certificate_of_an_approved_event_cannot_be_replaced(self):
        event, coa = self.certified_event()
        checksum = coa.checksum
        for user in (self.trace_user, self.qm, self.env.user):
            as_user = coa.sudo(user)
            self.refused(lambda a=as_user: a.write({"datas": FORGED}))
            self.refused(lambda a=as_user: a.write({"name": "CoA-2.txt"}))
            self.refused(lambda a=as_user: a.unlink())
        self.assertEqual((coa.exists(), coa.checksum), (coa, checksum))
        self.assertEqual((event.state, event.signature_state), ("done", "valid"))
        # storing the same content again (e.g. the host moving files to another
        # storage) is no change
        coa.write({"datas": coa.datas})

    def test_approved_event_and_its_measurements_are_read_only(self):
        event, _coa = self.certified_event()
        measurement = event.measurement_ids[0]
        for user in (self.qm, self.env.user):
            self.refused(lambda u=user: event.sudo(u).write({"description": "later"}))
            self.refused(lambda u=user: event.sudo(u).unlink())
            self.refused(lambda u=user: measurement.sudo(u).write({"value": 1.0}))
            self.refused(lambda u=user: measurement.sudo(u).unlink())
            self.refused(lambda u=user: self.env["serial.quality.measurement"].sudo(u).create(
                {"event_id": event.id, "parameter": "X", "value": 1, "limit_kind": "none"}))
        self.assertEqual(len(event.measurement_ids), 2)
        event.sudo(self.trace_user).message_post(body="Customer asked for a copy.")

    def test_amend_replaces_the_certificate_in_a_new_event(self):
        event, coa = self.certified_event()
        action = event.sudo(self.trace_user).action_amend()
        amendment = self.env["serial.quality.event"].browse(action["res_id"])
        self.assertEqual(amendment.attachment_ids, coa)
        new = self.env["ir.attachment"].sudo(self.trace_user).create({
            "name": "CoA-1-rev1.txt", "datas_fname": "CoA-1-rev1.txt", "datas": FORGED,
            "res_model": amendment._name, "res_id": amendment.id})
        amendment.sudo(self.trace_user).write({"attachment_ids": [(6, 0, new.ids)]})
        self.approve(amendment)
        self.assertEqual((amendment.state, amendment.amends_event_id), ("done", event))
        self.assertEqual(event.attachment_ids, coa)
        self.assertEqual(event.signature_state, "valid")

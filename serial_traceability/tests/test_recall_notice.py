# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer notice (issue 18, item 2): its own text, never the internal reason;
a preview per customer before sending; each mail's delivery state on the campaign."""
from odoo.exceptions import AccessError, UserError

from .recall_common import RecallCase

REASON = "Internal: T Clinic B reported a leak; supplier NC-7790 under investigation"
NOTICE = "Please stop using the units below and keep them apart.\nWe will collect them."


class TestRecallNotice(RecallCase):

    def setUp(self):
        super(TestRecallNotice, self).setUp()
        u1, u2 = self.build_two_pumps()
        self.flow._deliver(self.customer_a, [(self.pump, 1, u1)])
        self.flow._deliver(self.customer_b, [(self.pump, 1, u2)])
        self.recall = self.create_recall(
            self.lot(self.cap, "C1") | self.lot(self.cap, "C2"), reason=REASON)

    def notify_wizard(self, user=None):
        action = self.recall.sudo(user or self.qm).action_open_notify()
        self.assertEqual(action["res_model"], "serial.recall.notify")
        Notify = self.env["serial.recall.notify"].sudo(user or self.qm).with_context(
            **action["context"])
        return Notify.create(Notify.default_get(list(Notify._fields)))

    def mails(self):
        return self.env["mail.mail"].search([("model", "=", "serial.recall"),
                                             ("res_id", "=", self.recall.id)])

    def test_preview_per_customer_then_send_the_notice_never_the_reason(self):
        wizard = self.notify_wizard()
        self.assertEqual(wizard.partner_ids, self.customer_a | self.customer_b)
        wizard.notice_text = NOTICE
        for partner, unit, other in ((self.customer_a, "U1", "U2"),
                                     (self.customer_b, "U2", "U1")):
            wizard.preview_partner_id = partner
            wizard._onchange_preview()
            self.assertIn(self.recall.name, wizard.preview_subject)
            self.assertIn("Please stop using the units below", wizard.preview_html)
            self.assertIn(">%s<" % unit, wizard.preview_html)
            self.assertNotIn(">%s<" % other, wizard.preview_html)
            self.assertNotIn("NC-7790", wizard.preview_html)
        self.assertFalse(self.mails(), "a preview sends nothing")
        wizard.action_send()
        self.assertEqual(self.recall.notice_text, NOTICE)
        mails = self.mails()
        self.assertEqual(len(mails), 2)
        for mail in mails:
            self.assertIn("We will collect them.", mail.body_html)
            self.assertNotIn("NC-7790", mail.body_html)
            self.assertNotIn("leak", mail.body_html)
            self.assertNotIn(self.customer_b.name if mail.recipient_ids == self.customer_a
                             else self.customer_a.name, mail.body_html)
        # each mail's delivery state, on the campaign
        notices = self.recall.notice_ids
        self.assertEqual(notices.mapped("partner_id"), self.customer_a | self.customer_b)
        self.assertEqual(set(notices.mapped("state")), {"outgoing"})
        self.assertEqual(notices.filtered(lambda n: n.partner_id == self.customer_a).email,
                         self.customer_a.email)
        mails.send()
        notices.invalidate_cache()
        self.assertEqual(set(notices.mapped("state")), {"sent"})
        failed = notices.filtered(lambda n: n.partner_id == self.customer_b)
        failed.sudo().mail_id.write({"state": "exception",
                                     "failure_reason": "550 mailbox unknown"})
        notices.invalidate_cache()
        self.assertEqual((failed.state, failed.failure_reason),
                         ("exception", "550 mailbox unknown"))
        # the trace user reads the states too
        self.assertEqual(failed.sudo(self.trace_user).state, "exception")

    def test_customer_without_email_is_listed_as_such(self):
        self.customer_b.email = False
        self.recall.write({"notice_text": NOTICE})
        self.recall.action_notify_customers()
        by_partner = {n.partner_id: n for n in self.recall.notice_ids}
        self.assertEqual(by_partner[self.customer_b].state, "no_email")
        self.assertEqual(by_partner[self.customer_a].state, "outgoing")
        self.assertEqual(len(self.mails()), 1)

    def test_a_notice_without_text_cannot_be_sent(self):
        with self.assertRaisesRegex(UserError, "customer notice"):
            self.recall.action_notify_customers()
        wizard = self.notify_wizard()
        wizard.notice_text = "   "
        with self.assertRaises(UserError):
            wizard.action_send()
        self.assertFalse(self.mails())
        self.assertFalse(self.recall.notice_ids)
        self.assertFalse(self.recall.notified_partner_ids)

    def test_only_the_quality_manager_notifies_and_nobody_writes_notices(self):
        with self.assertRaises(AccessError):
            self.notify_wizard(self.trace_user)
        for user in (self.qm, self.trace_user):
            with self.assertRaises(AccessError):
                self.env["serial.recall.notice"].sudo(user).create(
                    {"recall_id": self.recall.id, "partner_id": self.customer_a.id,
                     "email": "forged@example.com"})

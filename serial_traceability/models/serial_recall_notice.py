# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer notice of a recall (issue 18, item 2): a customer-facing text of its
own (the reason stays internal), previewed per customer before sending, and each
mail's delivery state kept on the campaign."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

NOTICE_STATES = [
    ("no_email", "No e-mail address"),
    ("outgoing", "Queued"),
    ("sent", "Sent"),
    ("received", "Received"),
    ("exception", "Delivery failed"),
    ("cancel", "Cancelled"),
]
TEMPLATE = "serial_traceability.serial_recall_mail_template_notice"


class SerialRecallNotice(models.Model):
    """One customer's notice: who, to which address, when, and what became of the
    mail (read from the host's outgoing mail)."""

    _name = "serial.recall.notice"
    _description = "Recall: notice to a customer"
    _order = "recall_id desc, id"
    _rec_name = "partner_id"

    recall_id = fields.Many2one("serial.recall", "Recall", required=True, readonly=True,
                                ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, readonly=True)
    email = fields.Char("Sent to", readonly=True)
    date = fields.Datetime(readonly=True, default=fields.Datetime.now)
    units = fields.Integer(readonly=True)
    mail_id = fields.Many2one("mail.mail", "Mail", readonly=True, ondelete="set null")
    state = fields.Selection(NOTICE_STATES, "Delivery", compute="_compute_state")
    failure_reason = fields.Text("Failure", compute="_compute_state")

    @api.multi
    def _compute_state(self):
        # outgoing mail is the host's (read for the campaign, whoever looks)
        for notice in self:
            mail = notice.sudo().mail_id
            notice.failure_reason = False
            if not notice.email:
                notice.state = "no_email"
            elif mail:
                notice.state = mail.state
                notice.failure_reason = mail.failure_reason
            else:
                notice.state = "sent"  # the host deletes a mail once it is sent


class SerialRecall(models.Model):
    _inherit = "serial.recall"

    notice_text = fields.Text(
        "Customer notice", copy=False, track_visibility="onchange",
        help="What customers read in the recall e-mail (the reason stays internal).")
    notice_ids = fields.One2many("serial.recall.notice", "recall_id", "Notices sent",
                                 readonly=True)

    @api.multi
    def action_open_notify(self):
        """Notify customers: preview each customer's mail, edit the notice, send."""
        self.ensure_one()
        self._check_manager()
        self._check_state("draft", "open")
        if not self.partner_ids - self.notified_partner_ids:
            raise UserError(_("Every affected customer of %s has been notified already.")
                            % self.name)
        return {
            "type": "ir.actions.act_window",
            "name": _("Notify the customers of %s") % self.name,
            "res_model": "serial.recall.notify",
            "view_mode": "form",
            "target": "new",
            "context": {"default_recall_id": self.id},
        }

    @api.multi
    def _check_notice_text(self):
        for recall in self:
            if not (recall.notice_text or "").strip():
                raise UserError(_("Write the customer notice of %s first: the text "
                                  "customers read (the reason stays internal).")
                                % recall.name)

    @api.multi
    def _notice_template(self):
        return self.env.ref(TEMPLATE)

    @api.multi
    def _record_notices(self, mails, unreachable):
        """``mails``: {partner: mail}; ``unreachable``: partners with no address."""
        self.ensure_one()
        # recorded by "Notify customers" only: nobody creates or edits them (ACL)
        Notice = self.env["serial.recall.notice"].sudo()
        for partner, mail in mails.items():
            Notice.create({"recall_id": self.id, "partner_id": partner.id,
                           "email": partner.email, "mail_id": mail.id,
                           "units": len(self.notification_lines(partner.id))})
        known = self.notice_ids.filtered(lambda n: not n.email).mapped("partner_id")
        for partner in unreachable - known:
            Notice.create({"recall_id": self.id, "partner_id": partner.id,
                           "units": len(self.notification_lines(partner.id))})

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SerialRecallNotify(models.TransientModel):
    """The notice before it goes: its text, and the mail each customer will get."""

    _name = "serial.recall.notify"
    _description = "Notify the customers of a recall"

    recall_id = fields.Many2one("serial.recall", required=True, readonly=True,
                                ondelete="cascade")
    notice_text = fields.Text("Customer notice")
    partner_ids = fields.Many2many("res.partner", compute="_compute_partners",
                                   string="Customers to notify")
    unreachable_count = fields.Integer("Without e-mail", compute="_compute_partners")
    preview_partner_id = fields.Many2one("res.partner", "Preview for")
    preview_subject = fields.Char(readonly=True)
    preview_html = fields.Html(readonly=True, sanitize=False)

    @api.model
    def default_get(self, field_names):
        res = super(SerialRecallNotify, self).default_get(field_names)
        recall = self.env["serial.recall"].browse(res.get("recall_id")
                                                  or self.env.context.get("default_recall_id"))
        recall._check_manager()
        if recall:
            res.setdefault("notice_text", recall.notice_text or False)
            todo = recall.partner_ids - recall.notified_partner_ids
            if todo:
                res.setdefault("preview_partner_id", todo[0].id)
        return res

    @api.depends("recall_id")
    def _compute_partners(self):
        for wizard in self:
            todo = wizard.recall_id.partner_ids - wizard.recall_id.notified_partner_ids
            wizard.partner_ids = todo
            wizard.unreachable_count = len(todo.filtered(lambda p: not p.email))

    @api.multi
    def _render(self, partner):
        """Subject and body of ``partner``'s mail with this wizard's notice text."""
        self.ensure_one()
        recall = self.recall_id
        template = recall._notice_template().with_context(
            recall_partner_id=partner.id, recall_notice_text=self.notice_text or "")
        values = template.generate_email(recall.id, fields=["subject", "body_html"])
        return values["subject"], values["body_html"]

    @api.onchange("recall_id")
    def _onchange_recall_id(self):
        todo = self.recall_id.partner_ids - self.recall_id.notified_partner_ids
        return {"domain": {"preview_partner_id": [("id", "in", todo.ids)]}}

    @api.onchange("preview_partner_id", "notice_text")
    def _onchange_preview(self):
        if self.preview_partner_id and self.recall_id:
            self.preview_subject, self.preview_html = self._render(self.preview_partner_id)
        else:
            self.preview_subject, self.preview_html = False, False

    @api.multi
    def action_send(self):
        self.ensure_one()
        recall = self.recall_id
        recall._check_manager()
        recall.write({"notice_text": (self.notice_text or "").strip() or False})
        recall.action_notify_customers()
        return {"type": "ir.actions.act_window_close"}

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from email.utils import formataddr

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape

QM_GROUP = "serial_traceability.group_quality_manager"
ADMIN_GROUP = "base.group_erp_manager"


class SerialSignatureLockout(models.Model):
    """A user's signing locked after too many wrong passwords (21 CFR 11.300(d)).

    Made by the signing dialog when a user reaches the company's limit of failed
    attempts; only a Quality Manager (not the locked user) or an administrator
    unlocks it. Rows stay as the history of lockouts: nobody has write or delete
    rights, the methods below write as superuser after their own checks.
    """

    _name = "serial.signature.lockout"
    _description = "Electronic signature lockout"
    _inherit = ["mail.thread"]
    _order = "locked_at desc, id desc"
    _rec_name = "user_id"
    _mail_post_access = "read"

    user_id = fields.Many2one("res.users", "Locked user", required=True, readonly=True,
                              index=True, ondelete="restrict")
    company_id = fields.Many2one("res.company", "Company", readonly=True, index=True,
                                 ondelete="restrict")
    state = fields.Selection([("locked", "Locked"), ("unlocked", "Unlocked")],
                             required=True, readonly=True, default="locked", index=True,
                             track_visibility="onchange")
    locked_at = fields.Datetime("Locked on", readonly=True, required=True)
    failure_count = fields.Integer("Wrong passwords", readonly=True)
    window_minutes = fields.Integer("Within (minutes)", readonly=True)
    record_name = fields.Char("Last record tried", readonly=True)
    lock_entry_id = fields.Many2one("serial.audit.entry", "Lock entry", readonly=True,
                                    ondelete="restrict")
    unlocked_by_id = fields.Many2one("res.users", "Unlocked by", readonly=True,
                                     ondelete="restrict")
    unlocked_at = fields.Datetime("Unlocked on", readonly=True)
    unlock_entry_id = fields.Many2one("serial.audit.entry", "Unlock entry", readonly=True,
                                      ondelete="restrict")

    @api.multi
    def name_get(self):
        return [(lock.id, _("Signing lock of %(user)s (%(date)s)") % {
            "user": lock.sudo().user_id.name, "date": lock.locked_at}) for lock in self]

    # -- locking ---------------------------------------------------------------------
    @api.model
    def _lock(self, user, record, count):
        """Lock ``user``'s signing after ``count`` failures, the last one on ``record``;
        the trail entry names the user (who tried), the Quality Managers are told."""
        company = user.sudo().company_id
        lock = self.sudo().create({
            "user_id": user.id, "company_id": company.id,
            "locked_at": fields.Datetime.to_string(user._serial_db_now()),
            "failure_count": count, "window_minutes": company.serial_sign_failure_minutes,
            "record_name": record.sudo().display_name,
        })
        entry = self.env["serial.audit.entry"]._log(
            self.browse(lock.id), "sign_locked", {"state": (None, "locked"),
                                                  "failures": (None, count)},
            reason=_("Too many wrong signing passwords"))
        lock.write({"lock_entry_id": entry.id})
        lock._notify_managers()
        return lock

    @api.multi
    def _managers_to_notify(self):
        """The Quality Managers of the locked user's company, else its administrators;
        never the locked user alone."""
        self.ensure_one()
        lock = self.sudo()
        for xmlid in (QM_GROUP, ADMIN_GROUP):
            users = self.env.ref(xmlid).sudo().users.filtered(
                lambda u: u.active and u != lock.user_id
                and lock.company_id in u.company_ids)
            if users:
                return users
        return self.env["res.users"]

    @api.multi
    def _post(self, body, partners=None):
        """Post as the company (the user who acted may have no e-mail address); mails
        are queued, not sent inside the request."""
        for lock in self.sudo().with_context(mail_notify_force_send=False):
            company = lock.company_id or lock.user_id.company_id
            lock.message_post(
                body=body, subject=_("Electronic signature lockout"),
                subtype="mail.mt_comment", partner_ids=(partners or self.env[
                    "res.partner"]).ids, author_id=company.partner_id.id,
                email_from=company.email and formataddr((company.name, company.email)))

    @api.multi
    def _notify_managers(self):
        for lock in self:
            managers = lock._managers_to_notify()
            lock._post(_(
                "<p>Signing is locked for <strong>%(user)s</strong> after %(count)d wrong "
                "passwords within %(minutes)d minutes (last try: %(record)s).</p>"
                "<p>Check with the user that it was them; unlock from Traceability &gt; "
                "Signature lockouts.</p>") % {
                    "user": html_escape(lock.sudo().user_id.name), "count": lock.failure_count,
                    "minutes": lock.window_minutes,
                    "record": html_escape(lock.record_name or "")},
                managers.mapped("partner_id"))

    @api.multi
    def _refusal(self):
        """The sentence a locked user reads: since when, and who can unlock."""
        self.ensure_one()
        lock = self.sudo()
        return _("Signing is locked for %(user)s since %(since)s (UTC) after %(count)d wrong "
                 "passwords within %(minutes)d minutes. It stays locked until a Quality "
                 "Manager or an administrator unlocks it (Traceability > Signature "
                 "lockouts).") % {
                     "user": lock.user_id.name, "since": lock.locked_at,
                     "count": lock.failure_count, "minutes": lock.window_minutes}

    # -- unlocking -------------------------------------------------------------------
    @api.multi
    def action_unlock(self):
        user = self.env.user
        if not (user.has_group(QM_GROUP) or user._is_admin()):
            raise AccessError(_("Only a Quality Manager or an administrator may unlock "
                                "electronic signing."))
        self.check_access_rights("read")
        self.check_access_rule("read")
        for lock in self:
            if lock.state != "locked":
                raise UserError(_("%s is already unlocked.") % lock.display_name)
            if lock.user_id == user and not user._is_admin():
                raise AccessError(_("You cannot unlock your own signing: ask another "
                                    "Quality Manager or an administrator."))
            entry = self.env["serial.audit.entry"]._log(
                lock, "sign_unlocked", {"state": ("locked", "unlocked")})
            lock.sudo().write({
                "state": "unlocked", "unlocked_by_id": user.id, "unlock_entry_id": entry.id,
                "unlocked_at": fields.Datetime.to_string(user._serial_db_now())})
            lock._post(_("<p>Signing unlocked by %s.</p>") % html_escape(user.name))
        return True

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

# Users keep the name they type in their preferences; the signing name is the one
# an administrator vouches for. Filled from the name when it is empty: at creation,
# at install/upgrade for the users that existed before, at a first signature.
_FILL_SIGNING_NAMES = """
    UPDATE res_users u SET signing_name = p.name
      FROM res_partner p
     WHERE p.id = u.partner_id AND coalesce(btrim(u.signing_name), '') = ''
       AND u.id IN %(ids)s
 RETURNING u.id, u.signing_name
"""
_EMPTY_SIGNING_NAMES = """
    SELECT id FROM res_users WHERE coalesce(btrim(signing_name), '') = ''
"""
_DB_CLOCK = "SELECT clock_timestamp() AT TIME ZONE 'UTC'"


class ResUsers(models.Model):
    """The signer's side of electronic signatures (21 CFR 11.50, 11.300(d)): the
    printed name a signature carries and the count of failed signing attempts."""

    _inherit = "res.users"

    signing_name = fields.Char(
        "Signing name", copy=False,
        help="The printed name on this user's electronic signatures. Set from the "
             "user's name when the user is created (or at their first signature); "
             "only an administrator may change it afterwards, so renaming oneself "
             "never changes whose signature it is.")

    @api.model_cr_context
    def _auto_init(self):
        res = super(ResUsers, self)._auto_init()
        self.env.cr.execute(_EMPTY_SIGNING_NAMES)
        ids = tuple(row[0] for row in self.env.cr.fetchall())
        if ids:
            self.env.cr.execute(_FILL_SIGNING_NAMES, {"ids": ids})
        return res

    # -- the signing name: administered, frozen ------------------------------------
    @api.model
    def _check_may_set_signing_name(self, vals):
        if "signing_name" not in vals:
            return
        if not self.env.user._is_admin():
            raise AccessError(_("Only an administrator (Administration: Access Rights) may "
                                "change a signing name: it is the printed name on "
                                "electronic signatures."))
        if not (vals["signing_name"] or "").strip():
            raise UserError(_("A signing name cannot be empty: it is printed on every "
                              "electronic signature of the user."))

    @api.model
    def create(self, vals):
        if not (vals.get("signing_name") or "").strip():
            # the users form sends its empty field: the name is taken below
            vals = dict(vals)
            vals.pop("signing_name", None)
        self._check_may_set_signing_name(vals)
        user = super(ResUsers, self).create(vals)
        if vals.get("signing_name"):
            self.env["serial.audit.entry"]._log(
                user, "create", {"signing_name": (None, user.signing_name)})
        else:
            user._serial_signing_name()
        return user

    @api.multi
    def write(self, vals):
        self._check_may_set_signing_name(vals)
        if "signing_name" not in vals:
            return super(ResUsers, self).write(vals)
        old = {user.id: user.signing_name for user in self.sudo()}
        res = super(ResUsers, self).write(vals)
        Entry = self.env["serial.audit.entry"]
        for user in self:
            Entry._log(user, "write", {"signing_name": (old[user.id], user.signing_name)})
        return res

    @api.multi
    def _serial_signing_name(self):
        """The printed name of this user's signatures, frozen from their name the
        first time it is needed (and audited then)."""
        self.ensure_one()
        name = self.sudo().signing_name
        if name and name.strip():
            return name
        self.env.cr.execute(_FILL_SIGNING_NAMES, {"ids": (self.id,)})
        name = dict(self.env.cr.fetchall()).get(self.id)
        self.invalidate_cache(["signing_name"], self.ids)
        self.env["serial.audit.entry"]._log(self, "write", {"signing_name": (None, name)},
                                            reason=_("Signing name set from the user's name"))
        return name

    # -- failed signing attempts (21 CFR 11.300(d)) ----------------------------------
    @api.model
    def _serial_db_now(self):
        """The database clock (UTC, to the second), as the audit trail stamps entries."""
        self.env.cr.execute(_DB_CLOCK)
        return fields.Datetime.from_string(self.env.cr.fetchone()[0])

    @api.multi
    def _serial_sign_lock(self):
        """The lock that keeps this user from signing, if any."""
        self.ensure_one()
        return self.env["serial.signature.lockout"].sudo().search(
            [("user_id", "=", self.id), ("state", "=", "locked")], limit=1,
            order="locked_at desc, id desc")

    @api.multi
    def _serial_sign_failure_count(self, now=None):
        """Wrong signing passwords of this user within the company's window (database
        clock), leaving out those before their last unlock."""
        self.ensure_one()
        company = self.sudo().company_id
        now = now or self._serial_db_now()
        since = now - datetime.timedelta(minutes=company.serial_sign_failure_minutes)
        domain = [("action", "=", "sign_failed"), ("user_id", "=", self.id),
                  ("timestamp", ">=", fields.Datetime.to_string(since))]
        unlocked = self.env["serial.signature.lockout"].sudo().search(
            [("user_id", "=", self.id), ("unlock_entry_id", "!=", False)],
            order="unlocked_at desc, id desc", limit=1)
        if unlocked:
            domain.append(("sequence", ">", unlocked.unlock_entry_id.sequence))
        return self.env["serial.audit.entry"].sudo().search_count(domain)

    @api.multi
    def _serial_sign_attempt_failed(self, record, meaning):
        """Record a wrong signing password in the trail as this user (who tried), and
        lock their signing once the company's limit is reached. Returns the refusal
        sentence. Runs in the request that received the password, which does not
        raise, so the entry is committed (see the signing wizard)."""
        self.ensure_one()
        company = self.sudo().company_id
        limit = company.serial_sign_max_failures
        self.env["serial.audit.entry"]._log(
            record, "sign_failed", {"meaning": (None, meaning or None)},
            reason=_("Wrong password given to sign"))
        count = self._serial_sign_failure_count()
        if count >= limit:
            lock = self.env["serial.signature.lockout"]._lock(self, record, count)
            return lock._refusal()
        return _("Wrong password: %(record)s was not signed (%(count)d of %(limit)d "
                 "attempts within %(minutes)d minutes; then signing is locked until a "
                 "Quality Manager unlocks it).") % {
                     "record": record.sudo().display_name, "count": count, "limit": limit,
                     "minutes": company.serial_sign_failure_minutes}

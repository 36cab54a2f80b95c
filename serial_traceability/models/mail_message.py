# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from email.utils import formataddr

from odoo import api, models

# Records whose chatter logs what people did on the floor: the log must not depend
# on the person having an e-mail address (issue 14: a technician without one could
# not record a quality event, "Unable to send email...").
LOGGED_MODELS = ("serial.quality.event", "serial.recall", "stock.production.lot")


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def _serial_fallback_from(self):
        """The author's name at the company's address (or the catchall), as the
        host would have used the author's own address."""
        user = self.env.user
        address = user.company_id.email
        if not address:
            params = self.env["ir.config_parameter"].sudo()
            alias = params.get_param("mail.catchall.alias")
            domain = params.get_param("mail.catchall.domain")
            address = alias and domain and "%s@%s" % (alias, domain)
        return formataddr((user.name, address)) if address else False

    @api.model
    def create(self, values):
        if ("email_from" not in values and values.get("model") in LOGGED_MODELS
                and not self.env.user.email):
            values = dict(values, email_from=self._serial_fallback_from())
        return super(MailMessage, self).create(values)

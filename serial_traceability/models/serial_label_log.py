# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Label print log (issue 17 item 4): one row per unit label the addon renders.

Written by the label reports only (``_record``, as superuser, naming the user who
printed); read by traceability users; changed or deleted by administrators only."""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class SerialLabelLog(models.Model):
    _name = "serial.label.log"
    _description = "Label print log"
    _order = "printed_on desc, id desc"
    _rec_name = "lot_id"

    lot_id = fields.Many2one("stock.production.lot", "Lot/Serial", required=True,
                             readonly=True, index=True, ondelete="cascade")
    product_id = fields.Many2one(related="lot_id.product_id", readonly=True, store=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True, index=True)
    report_name = fields.Char("Label report", readonly=True, required=True)
    element_string = fields.Char("Encoded content", readonly=True,
                                 help="What the barcode encodes (GS1 element string).")
    user_id = fields.Many2one("res.users", "Printed by", readonly=True, required=True)
    printed_on = fields.Datetime("Printed on", readonly=True, required=True)
    copy_number = fields.Integer("Copy", readonly=True,
                                 help="1 for the unit's first label, then 2, 3...")
    reprint = fields.Boolean(readonly=True)

    @api.model
    def _record(self, labels, report_name):
        """One row per label dict (``serial.label._label_data``) just rendered."""
        lots = self.env["stock.production.lot"].browse([label["lot"].id for label in labels])
        if not lots:
            return self.browse()
        cr = self.env.cr
        cr.execute("SELECT lot_id, count(*) FROM serial_label_log WHERE lot_id IN %s "
                   "GROUP BY lot_id", (tuple(set(lots.ids)),))
        printed = dict(cr.fetchall())
        now, uid = fields.Datetime.now(), self.env.uid
        rows = self.browse()
        for label in labels:
            lot = label["lot"].sudo()
            printed[lot.id] = printed.get(lot.id, 0) + 1
            rows |= self.sudo().create({
                "lot_id": lot.id, "company_id": lot.company_id.id,
                "report_name": report_name, "element_string": label.get("data") or False,
                "user_id": uid, "printed_on": now, "copy_number": printed[lot.id],
                "reprint": printed[lot.id] > 1,
            })
        return rows

    @api.model
    def _check_admin(self):
        if not (self.env.user._is_superuser() or self.env.user.has_group("base.group_system")):
            raise AccessError(_("The label print log is kept as printed: only an "
                                "administrator may change or delete its rows."))

    @api.multi
    def write(self, vals):
        self._check_admin()
        return super(SerialLabelLog, self).write(vals)

    @api.multi
    def unlink(self):
        self._check_admin()
        return super(SerialLabelLog, self).unlink()

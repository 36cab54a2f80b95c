# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a recall campaign does: contain the units in our hands, notify the
customers who hold the others, and record what comes back.

Everything goes through the host: quarantine is an internal transfer validated
like any other (real moves and quants), notifications are host mails from a mail
template, recoveries come from the host's return pickings (see
``stock_move_line_recall.py``) or a scan on the campaign. A drill (mock recall)
runs the same steps but moves nothing and mails nobody.
"""
from collections import OrderedDict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

QUARANTINE = "Quarantine"
# Units listed in the body of a customer's e-mail; the attachment lists them all.
MAIL_LIST_LIMIT = 200


class SerialRecall(models.Model):
    _inherit = "serial.recall"

    @api.multi
    def _start(self):
        """Containment and notification run on an open campaign; the first of them
        opens a draft one."""
        self.ensure_one()
        self._check_manager()
        self._check_state("draft", "open")
        if self.state == "draft":
            self.action_open()

    # -- containment ---------------------------------------------------------------
    @api.model
    def _quarantine_location(self, warehouse):
        """The warehouse's quarantine: an internal location under its view location,
        outside its stock location so that nothing reserves from it by default."""
        data = self.env.ref("serial_traceability.stock_location_quarantine",
                            raise_if_not_found=False)
        if data and data.active and data.location_id == warehouse.view_location_id:
            return data
        Location = self.env["stock.location"].sudo()
        location = Location.search([
            ("location_id", "=", warehouse.view_location_id.id), ("name", "=", QUARANTINE),
            ("usage", "=", "internal")], limit=1)
        return location or Location.create({
            "name": QUARANTINE, "usage": "internal",
            "location_id": warehouse.view_location_id.id,
            "company_id": warehouse.company_id.id})

    @api.multi
    def _move_to_quarantine(self, lots):
        """One validated internal transfer per warehouse and source location, moving
        every internal quant of ``lots``. Returns (pickings, lots now in quarantine)."""
        self.ensure_one()
        quants = self.env["stock.quant"].search([
            ("lot_id", "in", lots.ids), ("location_id.usage", "=", "internal"),
            ("quantity", ">", 0)], order="location_id, lot_id")
        groups = OrderedDict()
        contained = lots.browse()
        for quant in quants:
            warehouse = quant.location_id.get_warehouse()
            if not warehouse:
                raise UserError(_("%(lot)s is in %(location)s, which belongs to no "
                                  "warehouse: move it to quarantine by hand, then run the "
                                  "quarantine again.") % {
                                      "lot": quant.lot_id.name,
                                      "location": quant.location_id.display_name})
            dest = self._quarantine_location(warehouse)
            contained |= quant.lot_id
            if quant.location_id == dest:
                continue
            groups.setdefault((warehouse, quant.location_id, dest), []).append(
                (quant.product_id, quant.quantity, quant.lot_id))
        pickings = self.env["stock.picking"]
        for (warehouse, source, dest), items in groups.items():
            pickings |= self._quarantine_transfer(warehouse.int_type_id, source, dest, items)
        return pickings, contained

    @api.multi
    def _quarantine_transfer(self, picking_type, source, dest, items):
        """An internal transfer of exactly ``items`` [(product, qty, lot)], made as a
        user makes an immediate transfer: operation lines naming the lots, validated;
        the host adds the moves."""
        picking = self.env["stock.picking"].create({
            "picking_type_id": picking_type.id, "origin": self.name,
            "location_id": source.id, "location_dest_id": dest.id,
            "move_line_ids": [(0, 0, {
                "product_id": product.id, "product_uom_id": product.uom_id.id,
                "location_id": source.id, "location_dest_id": dest.id,
                "lot_id": lot.id, "qty_done": qty}) for product, qty, lot in items],
        })
        picking.button_validate()
        if picking.state != "done":
            raise UserError(_("The quarantine transfer %s could not be validated.")
                            % picking.name)
        return picking

    @api.multi
    def _hold_productions(self, lines):
        """Flag the open MOs that consume or build units of ``lines``."""
        self.ensure_one()
        productions = lines.mapped("wip_production_id").filtered(
            lambda p: p.state not in ("done", "cancel"))
        for production in productions:
            units = lines.filtered(lambda l, p=production: l.wip_production_id == p)
            # Posting on an MO takes write access to it, which a quality manager
            # need not have: the recall flags it on the manager's behalf.
            production.sudo().message_post(author_id=self.env.user.partner_id.id, body=_(
                "Recall %(recall)s: this order uses or builds recalled units (%(units)s). "
                "They are on hold; do not finish the order before the quality manager "
                "decides.") % {"recall": html_escape(self.name),
                               "units": html_escape(", ".join(units.mapped("lot_id.name")))})
        if productions:
            self.write({"production_ids": [(4, p.id) for p in productions]})
        return productions

    @api.multi
    def action_quarantine(self):
        """Move every affected unit still in our stock to quarantine, put the units
        on hold, flag the open MOs that use them."""
        self._start()
        Line = self.env["serial.recall.line"]
        lines = Line.search([("recall_id", "=", self.id), ("action_done", "=", False),
                             ("action", "in", ("quarantine", "hold_production"))])
        stock_lines = lines.filtered(lambda l: l.action == "quarantine")
        wip_lines = lines - stock_lines
        if self.drill:
            self.message_post(body=_(
                "Drill: %(units)d units in stock would be quarantined and %(orders)d "
                "manufacturing orders put on hold. Nothing was moved.") % {
                    "units": len(stock_lines),
                    "orders": len(wip_lines.mapped("wip_production_id"))})
            return True
        pickings, contained = self._move_to_quarantine(stock_lines.mapped("lot_id"))
        productions = self._hold_productions(wip_lines)
        done = stock_lines.filtered(lambda l: l.lot_id in contained) | wip_lines
        held = done.mapped("lot_id")
        if held:
            held._put_on_hold(_("Recall %(recall)s: %(reason)s") % {
                "recall": self.name, "reason": self.reason}, source=self)
        done._mark_contained()
        vals = {"quarantined_date": fields.Datetime.now()}
        if pickings:
            vals["quarantine_picking_ids"] = [(4, p.id) for p in pickings]
        self.write(vals)
        self.message_post(body=_(
            "Quarantine: %(moved)d units moved by %(pickings)s; %(orders)d manufacturing "
            "orders flagged (%(names)s); %(missing)d units in stock could not be found in "
            "any internal location.") % {
                "moved": len(stock_lines & done),
                "pickings": html_escape(", ".join(pickings.mapped("name")) or "-"),
                "orders": len(productions),
                "names": html_escape(", ".join(productions.mapped("name")) or "-"),
                "missing": len(stock_lines - done)})
        return True

    # -- notification ----------------------------------------------------------------
    @api.multi
    def notification_lines(self, partner_id, limit=None):
        """The units customer ``partner_id`` holds under this recall (the mail
        template lists them)."""
        self.ensure_one()
        if not isinstance(partner_id, int) or isinstance(partner_id, bool):
            raise UserError(_("Name the customer by its id."))
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            raise UserError(_("The limit must be a positive whole number."))
        return self.env["serial.recall.line"].search([
            ("recall_id", "=", self.id), ("partner_id", "=", partner_id),
            ("at_customer", "=", True)], order="ship_date, id", limit=limit)

    @api.multi
    def action_notify_customers(self):
        """One e-mail per affected customer not notified yet: the customer notice
        (never the internal reason) and their units, with the full list attached;
        each mail is recorded with its delivery state (``serial.recall.notice``)."""
        self._check_manager()
        self._check_state("draft", "open")
        if not self.drill:
            self._check_notice_text()
        self._start()
        partners = self.partner_ids - self.notified_partner_ids
        if not partners:
            raise UserError(_("Every affected customer of %s has been notified already.")
                            % self.name)
        if self.drill:
            self.message_post(body=_(
                "Drill: %(count)d customers would be e-mailed (%(names)s). Nobody was.") % {
                    "count": len(partners),
                    "names": html_escape(", ".join(partners.mapped("name")))})
            return True
        template = self._notice_template()
        unreachable = partners.filtered(lambda p: not p.email)
        sent = partners - unreachable
        report = self.env["report.serial_traceability.recall_xlsx"]
        mails = {}
        for partner in sent:
            attachment = self.env["ir.attachment"].create({
                "name": "%s-%s.csv" % (self.name.replace("/", "-"), partner.id),
                "datas_fname": "%s-units.csv" % self.name.replace("/", "-"),
                "datas": report._csv_base64(self, partner_id=partner.id),
                "res_model": self._name, "res_id": self.id, "mimetype": "text/csv",
            })
            mails[partner] = self.env["mail.mail"].sudo().browse(template.with_context(
                recall_partner_id=partner.id).send_mail(
                self.id, email_values={
                    "model": self._name, "res_id": self.id,
                    "recipient_ids": [(6, 0, partner.ids)],
                    "attachment_ids": [attachment.id]}))
        self._record_notices(mails, unreachable)
        self.write({"notified_partner_ids": [(4, p.id) for p in sent],
                    "notified_date": fields.Datetime.now()})
        body = _("Recall notice e-mailed to %(count)d customers: %(names)s.") % {
            "count": len(sent), "names": html_escape(", ".join(sent.mapped("name")) or "-")}
        if unreachable:
            body += "<br/>" + _("No e-mail address, to be reached another way: %s.") % (
                html_escape(", ".join(unreachable.mapped("name"))))
        self.message_post(body=body)
        return True

    # -- recovery --------------------------------------------------------------------
    @api.multi
    def action_open_recovery_scan(self):
        self.ensure_one()
        self._check_manager()
        self._check_state("open")
        return {
            "type": "ir.actions.act_window",
            "name": _("Record returned units of %s") % self.name,
            "res_model": "serial.recall.scan",
            "view_mode": "form",
            "target": "new",
            "context": {"default_recall_id": self.id},
        }

    @api.multi
    def _recover_lots(self, lots, picking=None):
        """Mark the units ``lots`` of these open campaigns recovered; returns the lines."""
        lines = self.env["serial.recall.line"].search([
            ("recall_id", "in", self.ids), ("lot_id", "in", lots.ids),
            ("recovered", "=", False)])
        done = lines._mark_recovered(picking)
        for recall in done.mapped("recall_id"):
            mine = done.filtered(lambda l, r=recall: l.recall_id == r)
            body = _("Recovered: %s.") % html_escape(", ".join(mine.mapped("lot_id.name")))
            if picking:
                body += " " + _("Return %(picking)s, validated by %(user)s.") % {
                    "picking": html_escape(picking.name),
                    "user": html_escape(self.env.context.get("recall_validated_by")
                                        or self.env.user.name)}
            recall.message_post(body=body)
        return done

    # -- exports -----------------------------------------------------------------------
    @api.multi
    def action_export_xlsx(self):
        self.ensure_one()
        self._check_manager()
        return self.env.ref("serial_traceability.serial_recall_xlsx_report").report_action(
            self)

    @api.multi
    def _download(self, name, datas, mimetype):
        attachment = self.env["ir.attachment"].create({
            "name": name, "datas_fname": name, "datas": datas, "mimetype": mimetype,
            "res_model": self._name, "res_id": self.id})
        # A client action that ends once the download starts: an act_url with
        # target "self" never ends in Odoo 11 and left every button disabled.
        url = "/web/content/%d?download=true" % attachment.id
        return {"type": "ir.actions.client", "tag": "serial_traceability.download",
                "params": {"attachment_id": attachment.id, "url": url}, "url": url}

    @api.multi
    def action_export_csv(self):
        self.ensure_one()
        self._check_manager()
        report = self.env["report.serial_traceability.recall_xlsx"]
        return self._download("%s-affected-units.csv" % self.name.replace("/", "-"),
                              report._csv_base64(self), "text/csv")

    @api.multi
    def action_export_contacts_csv(self):
        self.ensure_one()
        self._check_manager()
        report = self.env["report.serial_traceability.recall_xlsx"]
        return self._download("%s-customers.csv" % self.name.replace("/", "-"),
                              report._contacts_csv_base64(self), "text/csv")

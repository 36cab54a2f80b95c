# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The mock recall drill report: how fast the scope and the first export came, the
mass balance of each suspect lot, which customers could be reached, and pass/fail
against the company's targets (BRCGS, SQF and IFS mock recalls)."""
from odoo import _, api, models
from odoo.exceptions import UserError

from .serial_recall_mass_balance import MAX_LOTS, balance_html


class SerialRecall(models.Model):
    _inherit = "serial.recall"

    @api.multi
    def drill_report_values(self):
        """What the drill report prints (one mock recall)."""
        self.ensure_one()
        if not self.drill:
            raise UserError(_("%s is a real recall: the drill report is for mock "
                              "recalls.") % self.name)
        company = self.company_id.sudo()
        target_hours = company.serial_drill_target_hours or 4.0
        target_pct = company.serial_drill_target_pct or 99.5
        balances = []
        # the campaign's reader may read its balance (as the campaign form does)
        for lot in self.suspect_lot_ids[:MAX_LOTS].sudo():
            try:
                balance = lot._mass_balance(outputs=False)
            except UserError as exc:
                balances.append({"lot": lot.name, "pct": None, "error": exc.name,
                                 "html": ""})
                continue
            balances.append({"lot": lot.name, "pct": balance["accounted_pct"],
                             "error": None, "html": balance_html(balance)})
        pcts = [b["pct"] for b in balances]
        lowest_pct = min(pcts) if pcts and None not in pcts else None
        customers = self.sudo().partner_ids
        with_email = customers.filtered("email")
        with_phone = customers.filtered(lambda p: p.phone or p.mobile)
        scope_hours = self.time_to_scope / 3600.0 if self.time_to_scope else None
        export_hours = self.time_to_export / 3600.0 if self.time_to_export else None
        time_passed = export_hours is not None and export_hours <= target_hours
        balance_passed = lowest_pct is not None and lowest_pct >= target_pct
        signature = self.sudo().signature_ids.filtered(
            lambda s: s.meaning == "approval").sorted("signed_at")[-1:]
        return {
            "target_hours": target_hours,
            "target_pct": target_pct,
            "scope_hours": scope_hours,
            "export_hours": export_hours,
            "time_passed": time_passed,
            "balances": balances,
            "lowest_pct": lowest_pct,
            "balance_passed": balance_passed,
            "customers": customers,
            "with_email": with_email,
            "with_phone": with_phone,
            "unreachable": customers - with_email - with_phone,
            "passed": time_passed and balance_passed,
            "signature": signature,
        }

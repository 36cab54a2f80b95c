# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The recall report's frame where wkhtmltopdf cannot draw one.

The company layout puts the header and the footer (page n of m) in separate HTML
that wkhtmltopdf draws on every page, which only its "patched Qt" builds do: the
others (the distributions' packages) print the body alone, so the recall report
came out with no company header and no page numbers. With such a build the report
shows the company in its body and each page is stamped "page n of m" afterwards.
"""
import subprocess

from odoo import api, models
from odoo.addons.base.ir.ir_actions_report import _get_wkhtmltopdf_bin

from ..lib import pdf_pages

RECALL_REPORT = "serial_traceability.report_serial_recall"
_FRAMES = {}


def wkhtmltopdf_draws_frames():
    """True when the installed wkhtmltopdf draws header/footer HTML (patched Qt)."""
    if "ok" not in _FRAMES:
        try:
            out = subprocess.check_output([_get_wkhtmltopdf_bin(), "--version"],
                                          stderr=subprocess.STDOUT).decode()
        except (OSError, IOError, subprocess.CalledProcessError):
            out = ""
        _FRAMES["ok"] = "patched qt" in out.lower()
    return _FRAMES["ok"]


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.multi
    def render_qweb_pdf(self, res_ids=None, data=None):
        content, kind = super(IrActionsReport, self).render_qweb_pdf(res_ids, data=data)
        if (self.report_name == RECALL_REPORT and kind == "pdf"
                and isinstance(content, bytes) and content.startswith(b"%PDF")
                and not wkhtmltopdf_draws_frames()):
            names = self.env["serial.recall"].browse(res_ids or []).mapped("name")
            title = ", ".join(names[:3]) or "Recall"
            content = pdf_pages.number_pages(content, lambda _pages: [(0, title)])
        return content, kind


class SerialRecall(models.Model):
    _inherit = "serial.recall"

    @api.model
    def _report_frame_inline(self):
        """The report draws the company header in its body (see the module doc)."""
        return not wkhtmltopdf_draws_frames()

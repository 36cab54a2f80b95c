"""A quality manager runs a recall of the demo's suspect capacitor lot CAP-L7 in the
browser: scan, preview, create, quarantine, notify, export, record a return."""
import glob
import os
import shutil
import tempfile
import time

import openpyxl
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from conftest import DB
from helpers import (QUALITY_MANAGER_GROUPS, click_button, click_dialog_button, ensure_user,
                     login, open_menu, screenshot, wait)
from odoo_rpc import call

QM_LOGIN, QM_PASSWORD = "recall.qm@example.com", "Recall-QM-2026"
AFFECTED = ["PCB-%04d" % i for i in range(7, 13)] + ["PUMP-%04d" % i for i in range(7, 13)]
CUSTOMERS = ["City Clinic", "MedSupply Distribution Ltd"]


def _rpc(base_url, model, method, args, kwargs=None):
    return call(base_url, DB, model, method, args, kwargs)


def _quality_manager(base_url):
    return ensure_user(base_url, DB, QM_LOGIN, QM_PASSWORD, "Quinn Quality",
                       QUALITY_MANAGER_GROUPS)


def _type_and_enter(browser, field, text):
    selector = ".modal-dialog .o_field_widget[name=%s]" % field
    box = wait(browser).until(EC.element_to_be_clickable((By.CSS_SELECTOR, selector)))
    box.click()
    box.send_keys(text + Keys.ENTER)


def _wait_text(browser, selector, text, seconds=30):
    wait(browser, seconds).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, selector), text))
    return browser.find_element(By.CSS_SELECTOR, selector).text


def _poll(check, seconds=30):
    deadline = time.time() + seconds
    while True:
        value = check()
        if value or time.time() > deadline:
            return value
        time.sleep(0.5)


def _lines(base_url, recall_id):
    return _rpc(base_url, "serial.recall.line", "search_read", [[("recall_id", "=", recall_id)]],
                {"fields": ["lot_id", "status", "recovered", "action_done"]})


def test_quality_manager_runs_a_recall_of_cap_l7(browser, odoo_server):
    _quality_manager(odoo_server)
    downloads = tempfile.mkdtemp(prefix="st-recall-xlsx-")
    browser.execute_cdp_cmd("Page.setDownloadBehavior",
                            {"behavior": "allow", "downloadPath": downloads})
    try:
        login(browser, odoo_server, QM_LOGIN, QM_PASSWORD)
        open_menu(browser, "Inventory")
        # Secondary menus are a top-bar dropdown or a side bar, depending on the user.
        section = browser.find_elements(By.XPATH, "//a[contains(@class, 'dropdown-toggle')]"
                                                  "[contains(normalize-space(.), 'Traceability')]")
        if section and section[0].is_displayed():
            section[0].click()
        item = "//a[contains(normalize-space(.), 'Start a recall')]"
        wait(browser).until(EC.element_to_be_clickable((By.XPATH, item))).click()
        wait(browser).until(EC.presence_of_element_located(
            (By.CSS_SELECTOR, ".modal-dialog .o_field_widget[name=scan_code]")))

        # The suspect lot is scanned (typed, then Enter) into the wizard.
        _type_and_enter(browser, "scan_code", "CAP-L7")
        _wait_text(browser, ".modal-dialog .o_field_widget[name=lot_ids]", "CAP-L7")
        reason = browser.find_element(By.CSS_SELECTOR,
                                      ".modal-dialog .o_field_widget[name=reason]")
        reason.send_keys("Nordic Components reports capacitor lot NC-7790-C out of tolerance")
        click_button(browser, "Preview")
        preview = _wait_text(browser, ".modal-dialog .o_recall_units", "PUMP-0007")
        summary = browser.find_element(By.CSS_SELECTOR, ".modal-dialog .o_recall_preview").text
        screenshot(browser, "recall_wizard_preview.png")
        for name in AFFECTED + CUSTOMERS:
            assert name in summary, name
        for name in ("PUMP-0001", "PCB-0006", "St. Mary's Hospital"):
            assert name not in preview, name

        click_button(browser, "Create recall")
        title = _wait_text(browser, ".o_form_view .oe_title", "RC/")
        recall_id = _rpc(odoo_server, "serial.recall", "search",
                         [[("name", "=", title.strip())]])[0]
        units = {line["lot_id"][1]: line for line in _lines(odoo_server, recall_id)}
        assert set(AFFECTED) <= set(units) and "PUMP-0001" not in units
        partners = _rpc(odoo_server, "serial.recall", "read", [[recall_id], ["partner_ids"]])
        names = [p["name"] for p in _rpc(odoo_server, "res.partner", "read",
                                         [partners[0]["partner_ids"], ["name"]])]
        assert sorted(names) == CUSTOMERS

        # Containment: the units still in our stock go to quarantine for real.
        click_button(browser, "Quarantine stock")
        quarantine = _rpc(odoo_server, "ir.model.data", "xmlid_to_res_id",
                          ["serial_traceability.stock_location_quarantine"])
        in_quarantine = _poll(lambda: _rpc(odoo_server, "stock.quant", "search_read", [[
            ("location_id", "=", quarantine), ("quantity", ">", 0),
            ("lot_id.name", "in", ["PUMP-0008", "PUMP-0012"])]], {"fields": ["lot_id"]}))
        assert sorted(q["lot_id"][1] for q in in_quarantine) == ["PUMP-0008", "PUMP-0012"]

        # Notification: one e-mail per customer.
        _wait_text(browser, ".o_form_view .o_statusbar_status .btn-primary", "Open")
        click_button(browser, "Notify customers")
        # the notice dialog: the customer-facing text, a preview, then send
        notice = wait(browser).until(EC.element_to_be_clickable(
            (By.CSS_SELECTOR, ".modal-dialog .o_field_widget[name=notice_text]")))
        notice.click()
        notice.send_keys("Please stop using the units below; we will collect them.")
        _wait_text(browser, ".modal-dialog .o_recall_notice_preview", "Dear")
        click_dialog_button(browser, "Send notices")
        mails = _poll(lambda: _rpc(odoo_server, "mail.mail", "search_read", [[
            ("model", "=", "serial.recall"), ("res_id", "=", recall_id)]],
            {"fields": ["recipient_ids", "body_html"]}))
        assert len(mails) == 2
        screenshot(browser, "recall_campaign.png")

        # The sortable spreadsheet, as the browser downloads it.
        click_button(browser, "Export spreadsheet")
        files = _poll(lambda: glob.glob(os.path.join(downloads, "*.xlsx")))
        assert files, "no spreadsheet was downloaded"
        time.sleep(1)  # let the download finish writing
        sheet = openpyxl.load_workbook(files[0])["Affected units"]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "Traceability lot code"
        assert set(AFFECTED) <= {row[0] for row in rows[1:]}

        # The CSV, then the customer list: the first download must leave the buttons
        # usable (an act_url with target "self" kept them disabled, issue 18).
        click_button(browser, "Export CSV")
        units_csv = _poll(lambda: glob.glob(os.path.join(downloads, "*affected-units.csv")))
        assert units_csv, "no CSV was downloaded"
        click_button(browser, "Customer list (CSV)")
        contacts_csv = _poll(lambda: glob.glob(os.path.join(downloads, "*customers.csv")))
        assert contacts_csv, "the second export did nothing"

        # A customer sends PUMP-0007 back; the service desk scans it.
        click_button(browser, "Record returns")
        _type_and_enter(browser, "scan_code", "PUMP-0007")
        _wait_text(browser, ".modal-dialog .o_field_widget[name=lot_ids]", "PUMP-0007")
        click_button(browser, "Mark recovered")
        recovered = _poll(lambda: [line["lot_id"][1] for line in _lines(odoo_server, recall_id)
                                   if line["recovered"]])
        assert recovered == ["PUMP-0007"]
        _wait_text(browser, ".o_form_view", "Recovered")
        screenshot(browser, "recall_recovered.png")
    finally:
        shutil.rmtree(downloads, ignore_errors=True)

"""A quality manager answers an FSMA 204 request for the demo's capacitor lot CAP-L7
(the spreadsheet the browser downloads holds its critical tracking events, and
they add up to the lot's mass balance), then runs a mock recall of it and prints
the drill report: PASS, with the lot 100 % accounted for."""
import glob
import os
import shutil
import subprocess
import tempfile
import time

import openpyxl
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from conftest import DB
from helpers import (QUALITY_MANAGER_GROUPS, ROOT, click_button, click_dialog_button,
                     ensure_user, login, open_menu, screenshot, wait)
from odoo_rpc import call

QM_LOGIN, QM_PASSWORD = "drill.qm@example.com", "Drill-QM-2026"
LOT = "CAP-L7"


def _rpc(base_url, model, method, args, kwargs=None):
    return call(base_url, DB, model, method, args, kwargs)


def _poll(check, seconds=60):
    deadline = time.time() + seconds
    while True:
        value = check()
        if value or time.time() > deadline:
            return value
        time.sleep(0.5)


def _downloaded(folder, pattern):
    """The first complete file matching ``pattern`` in ``folder`` (Chromium writes a
    .crdownload first)."""
    files = _poll(lambda: [f for f in glob.glob(os.path.join(folder, pattern))
                           if os.path.getsize(f) > 0])
    assert files, "nothing matching %s was downloaded" % pattern
    time.sleep(1)  # let the download finish writing
    return files[0]


def _traceability_menu(browser, item_text):
    open_menu(browser, "Inventory")
    # Secondary menus are a top-bar dropdown or a side bar, depending on the user.
    section = browser.find_elements(By.XPATH, "//a[contains(@class, 'dropdown-toggle')]"
                                              "[contains(normalize-space(.), 'Traceability')]")
    if section and section[0].is_displayed():
        section[0].click()
    item = "//a[contains(normalize-space(.), '%s')]" % item_text
    wait(browser).until(EC.element_to_be_clickable((By.XPATH, item))).click()


def _fsma_export(browser, downloads):
    """Traceability > FSMA 204 export, for the lot code CAP-L7 over the last 30 days
    (the wizard's default range: the demo was made when the database was)."""
    _traceability_menu(browser, "FSMA 204 export")
    lots = wait(browser).until(EC.element_to_be_clickable(
        (By.CSS_SELECTOR, ".modal-dialog .o_field_widget[name=lot_ids] input")))
    lots.send_keys(LOT)
    # the proposals are redrawn while the search runs: click the one named LOT
    proposal = "//ul[contains(@class,'ui-autocomplete')]//a[contains(normalize-space(.), '%s')]"
    for _attempt in range(5):
        try:
            wait(browser).until(EC.element_to_be_clickable((By.XPATH, proposal % LOT))).click()
            break
        except StaleElementReferenceException:
            time.sleep(0.5)
    wait(browser).until(EC.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".modal-dialog .o_field_widget[name=lot_ids]"), LOT))
    screenshot(browser, "fsma_export_wizard.png")
    click_button(browser, "Export spreadsheet")
    path = _downloaded(downloads, "*.xlsx")
    # the wizard stays open for another export; the manager closes it
    click_dialog_button(browser, "Cancel")
    wait(browser).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, ".modal-dialog")))
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    assert not sheet.merged_cells.ranges, "a sortable sheet has no merged cells"
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    return [dict(zip(header, row)) for row in rows[1:] if any(row)]


def _drill(browser, base_url, downloads):
    """Start a recall of CAP-L7 ticked *Mock recall*, export it, print the drill
    report; returns the recall id and the report's text."""
    _traceability_menu(browser, "Start a recall")
    box = wait(browser).until(EC.element_to_be_clickable(
        (By.CSS_SELECTOR, ".modal-dialog .o_field_widget[name=scan_code]")))
    box.click()
    box.send_keys(LOT + Keys.ENTER)
    wait(browser).until(EC.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".modal-dialog .o_field_widget[name=lot_ids]"), LOT))
    browser.find_element(By.CSS_SELECTOR, ".modal-dialog .o_field_widget[name=reason]") \
        .send_keys("Mock recall: quarterly traceability exercise (BRCGS 3.11)")
    drill = browser.find_element(By.CSS_SELECTOR,
                                 ".modal-dialog .o_field_widget[name=drill] input")
    if not drill.is_selected():
        browser.execute_script("arguments[0].click();", drill)
    click_button(browser, "Preview")
    wait(browser).until(EC.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".modal-dialog .o_recall_units"), "PUMP-0007"))
    click_button(browser, "Create recall")
    wait(browser).until(EC.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".o_form_view .oe_title"), "RC/"))
    title = browser.find_element(By.CSS_SELECTOR, ".o_form_view .oe_title").text.strip()
    recall_id = _rpc(base_url, "serial.recall", "search", [[("name", "=", title)]])[0]
    assert _rpc(base_url, "serial.recall", "read", [[recall_id], ["drill"]])[0]["drill"]
    wait(browser).until(EC.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".o_form_view"), "Mock recall (drill)"))
    # the first export: what the drill times
    click_button(browser, "Export CSV")
    _downloaded(downloads, "*affected-units.csv")
    assert _poll(lambda: _rpc(base_url, "serial.recall", "read",
                              [[recall_id], ["time_to_export"]])[0]["time_to_export"])
    browser.refresh()
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".o_form_view")))
    screenshot(browser, "drill_campaign.png")
    click_button(browser, "Print")
    wait(browser).until(EC.element_to_be_clickable(
        (By.XPATH, "//a[normalize-space(.)='Mock recall drill report']"))).click()
    pdf = _downloaded(downloads, "*.pdf")
    text = subprocess.check_output(["pdftotext", "-layout", pdf, "-"]).decode()
    # the first page, as a person sees it, beside the screenshots
    subprocess.check_call(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1",
                           "-singlefile", pdf, os.path.join(ROOT, "docs", "drill_report")])
    return recall_id, text


def test_quality_manager_answers_fsma_request_and_runs_a_drill(browser, odoo_server):
    user_id = ensure_user(odoo_server, DB, QM_LOGIN, QM_PASSWORD, "Dana Drill",
                          QUALITY_MANAGER_GROUPS)
    downloads = tempfile.mkdtemp(prefix="st-fsma-drill-")
    browser.execute_cdp_cmd("Page.setDownloadBehavior",
                            {"behavior": "allow", "downloadPath": downloads})
    try:
        login(browser, odoo_server, QM_LOGIN, QM_PASSWORD)
        lot_id = _rpc(odoo_server, "stock.production.lot", "search", [[("name", "=", LOT)]])[0]
        balance = call(odoo_server, DB, "stock.production.lot", "get_mass_balance",
                       [[lot_id]], login=QM_LOGIN, password=QM_PASSWORD)

        rows = _fsma_export(browser, downloads)
        assert rows, "the spreadsheet has no event"
        assert {r["Traceability lot code"] for r in rows} == {LOT}
        events = {}
        for row in rows:
            events.setdefault(row["Critical tracking event"], []).append(row)
        assert set(events) >= {"Receiving", "Transformation (input)"}, sorted(events)
        for row in rows:
            assert isinstance(row["Quantity"], (int, float)), row
            assert row["Unit of measure"] == balance["uom"], row
            assert row["Event date"] is not None and row["Product description"], row
        # the events add up to the lot's mass balance
        assert sum(r["Quantity"] for r in events["Receiving"]) == balance["received"]
        assert sum(r["Quantity"] for r in events["Transformation (input)"]) \
            == balance["consumed"]
        assert sum(r["Quantity"] for r in events.get("Shipping", [])) == balance["shipped"]
        assert all(r["Traceability lot code source"] for r in events["Receiving"])

        recall_id, text = _drill(browser, odoo_server, downloads)
        assert "Mock recall drill" in text, text[:500]
        assert "Result: PASS" in " ".join(text.split()), text[:800]
        assert "100 %" in text
        assert "Customers reachable" in text
        # the drill moved nothing and mailed nobody
        assert not _rpc(odoo_server, "mail.mail", "search",
                        [[("model", "=", "serial.recall"), ("res_id", "=", recall_id)]])
        assert user_id
    finally:
        shutil.rmtree(downloads, ignore_errors=True)

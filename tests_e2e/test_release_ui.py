"""The quality manager (demo user ``quality``) and release for distribution: a unit
that failed its final test cannot be released (the refusal says why); a unit built
for the test (``unit_build.py``: done, final test approved, awaiting release) is
released in the browser with the signing dialog (password, meaning *release*), then
shows who released it, and its device history record prints from *Print* with the
release signature."""
import glob
import os
import subprocess
import tempfile
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

import helpers
from conftest import DB
from odoo_rpc import call
from unit_build import build_unreleased_pump

QUALITY = ("quality", "quality")


def _open_unit(browser, base, name):
    lot_id = call(base, DB, "stock.production.lot", "search", [[("name", "=", name)]])[0]
    action = call(base, DB, "ir.model.data", "xmlid_to_res_id",
                  ["stock.action_production_lot_form"])
    helpers.open_record(browser, base, "stock.production.lot", lot_id, action)
    helpers.wait(browser).until(EC.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".o_form_view h1"), name))


def _field_text(browser, name):
    return browser.find_element(By.CSS_SELECTOR, ".o_form_view .o_field_widget[name=%s]"
                                % name).text


def _poll(check, seconds=60):
    deadline = time.time() + seconds
    while True:
        value = check()
        if value or time.time() > deadline:
            return value
        time.sleep(0.5)


def test_quality_manager_release_gate_and_device_history_record(browser, odoo_server):
    base = odoo_server
    downloads = tempfile.mkdtemp(prefix="st-dhr-")
    browser.execute_cdp_cmd("Page.setDownloadBehavior",
                            {"behavior": "allow", "downloadPath": downloads})
    helpers.login(browser, base, *QUALITY)

    # PUMP-0012 failed its final test: awaiting release, and Release says why not
    _open_unit(browser, base, "PUMP-0012")
    assert _field_text(browser, "release_state") == "Awaiting release"
    helpers.click_button(browser, "Release")
    dialog = helpers.wait(browser).until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, ".modal-dialog")))
    helpers.wait(browser).until(lambda d: "PUMP-0012" in dialog.text)
    assert "hold" in dialog.text.lower(), dialog.text
    helpers.screenshot(browser, "quality_6_release_refused.png")
    assert call(base, DB, "stock.production.lot", "search_count",
                [[("name", "=", "PUMP-0012"), ("release_state", "=", "pending")]]) == 1
    dialog.find_element(By.CSS_SELECTOR, ".modal-footer .btn-primary").click()
    helpers.wait(browser).until(EC.invisibility_of_element_located(
        (By.CSS_SELECTOR, ".modal-dialog")))

    # PUMP-0007 was released by Quinn Quality with her signature (the demo)
    _open_unit(browser, base, "PUMP-0007")
    assert _field_text(browser, "release_state") == "Released"
    assert "Quinn Quality" in _field_text(browser, "released_by_id")

    # a new unit awaiting release: Release, the signing dialog, the password, Sign
    name = build_unreleased_pump(base, DB)
    _open_unit(browser, base, name)
    assert _field_text(browser, "release_state") == "Awaiting release"
    helpers.click_button(browser, "Release")
    password = helpers.wait(browser).until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, ".modal-dialog .o_field_widget[name=password]")))
    dialog = browser.find_element(By.CSS_SELECTOR, ".modal-dialog")
    helpers.wait(browser).until(lambda d: "Release of" in dialog.text)
    meaning = dialog.find_element(
        By.CSS_SELECTOR, ".o_field_widget[name=meaning] input[data-value=release]")
    assert meaning.is_selected(), "the dialog opens with the meaning release"
    password.send_keys(QUALITY[1])
    helpers.screenshot(browser, "quality_7_release_signature.png")
    helpers.click_dialog_button(browser, "Sign")
    helpers.wait(browser).until(EC.invisibility_of_element_located(
        (By.CSS_SELECTOR, ".modal-dialog")))
    released = call(base, DB, "stock.production.lot", "search_read",
                    [[("name", "=", name)]], {"fields": ["release_state", "released_by_id"]})
    assert released[0]["release_state"] == "released", released
    assert released[0]["released_by_id"][1] == "Quinn Quality"
    _open_unit(browser, base, name)  # the form as it is now
    assert _field_text(browser, "release_state") == "Released"
    assert "Quinn Quality" in _field_text(browser, "released_by_id")
    helpers.screenshot(browser, "quality_7_released_unit.png")

    # its record: the frozen one stored at release, with the release signature
    helpers.click_button(browser, "Print")
    helpers.wait(browser).until(EC.element_to_be_clickable(
        (By.XPATH, "//a[normalize-space(.)='Device history record']"))).click()
    files = _poll(lambda: [f for f in glob.glob(os.path.join(downloads, "*.pdf"))
                           if os.path.getsize(f) > 0])
    assert files, "no device history record was downloaded"
    time.sleep(1)  # let the download finish writing
    text = subprocess.check_output(["pdftotext", "-layout", files[0], "-"]).decode()
    assert "Device history record %s" % name in text
    for heading in ("Dates of manufacture", "Acceptance records", "As-built record"):
        assert heading.lower() in text.lower(), heading
    assert "Quinn Quality" in text and "Final functional test (browser test unit)" in text
    # the first page, as a person sees it, beside the screenshots
    subprocess.check_call(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1",
                           "-singlefile", files[0],
                           os.path.join(helpers.ROOT, "docs", "quality_8_device_history")])

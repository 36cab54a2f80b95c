"""A quality manager verifies the audit trail in the browser and signs the result
with password and meaning; the trail itself offers no way to edit."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import DB
from helpers import (QUALITY_MANAGER_GROUPS, click_button, ensure_user, login, open_menu_item,
                     screenshot, wait)
from odoo_rpc import call

QM_LOGIN, QM_PASSWORD = "audit.qm@example.com", "Audit-QM-2026"


def _rpc(base_url, model, method, args, kwargs=None):
    return call(base_url, DB, model, method, args, kwargs)


def _quality_manager(base_url):
    return ensure_user(base_url, DB, QM_LOGIN, QM_PASSWORD, "Avery Auditor",
                       QUALITY_MANAGER_GROUPS)


def test_verify_and_sign_the_trail(browser, odoo_server):
    uid = _quality_manager(odoo_server)
    login(browser, odoo_server, QM_LOGIN, QM_PASSWORD)

    open_menu_item(browser, odoo_server, DB, "serial_traceability.serial_audit_verify_menu_run")
    form = wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_form_view .alert-info")))
    wait(browser).until(lambda b: "intact" in form.text)
    assert "Audit trail intact" in form.text

    click_button(browser, "Sign")
    dialog = ".modal-dialog"
    wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, dialog + " .o_field_widget[name=password]")))
    browser.find_element(By.CSS_SELECTOR, dialog + " .o_field_widget[name=password]") \
        .send_keys(QM_PASSWORD)
    meaning = browser.find_element(
        By.CSS_SELECTOR, dialog + " .o_field_widget[name=meaning] input[data-value=review]")
    browser.execute_script("arguments[0].click();", meaning)
    screenshot(browser, "audit_sign_dialog.png")
    browser.find_element(By.XPATH, "//div[contains(@class,'modal-footer')]"
                                   "//button[contains(normalize-space(.), 'Sign')]").click()
    wait(browser).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, dialog)))

    runs = _rpc(odoo_server, "serial.audit.verify", "search_read",
                [[("user_id", "=", uid)]], {"fields": ["state", "signature_state"],
                                            "order": "id desc", "limit": 1})
    assert runs[0]["state"] == "intact"
    assert runs[0]["signature_state"] == "valid"
    signatures = _rpc(odoo_server, "serial.signature", "search_read",
                      [[("res_model", "=", "serial.audit.verify"),
                        ("res_id", "=", runs[0]["id"])]],
                      {"fields": ["signer_name", "meaning"]})
    assert [(s["signer_name"], s["meaning"]) for s in signatures] == [
        ("Avery Auditor", "review")]

    # The trail lists the signature and offers neither Create nor Edit.
    open_menu_item(browser, odoo_server, DB, "serial_traceability.serial_audit_entry_menu")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".o_list_view")))
    wait(browser).until(lambda b: "Signed" in b.find_element(
        By.CSS_SELECTOR, ".o_list_view").text)
    screenshot(browser, "audit_trail.png")
    assert not browser.find_elements(By.CSS_SELECTOR, ".o_list_button_add")
    browser.find_element(By.CSS_SELECTOR, ".o_list_view td.o_data_cell").click()
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".o_form_view")))
    assert not browser.find_elements(By.CSS_SELECTOR, ".o_form_button_edit")

"""The signing dialog in the browser: a wrong password is refused and recorded in the
trail although the Sign request fails (the dialog was saved in an earlier request),
the password is retyped and the record signed under the signer's signing name; the
typed password is nowhere to be read back."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import DB
from helpers import QUALITY_MANAGER_GROUPS, click_button, ensure_user, login, open_menu_item, wait
from odoo_rpc import call

QM_LOGIN, QM_PASSWORD = "sign.qm@example.com", "Sign-QM-2026"
DIALOG = ".modal-dialog"
WRONG = "Not-My-Password-9"


def _rpc(base_url, model, method, args, kwargs=None):
    return call(base_url, DB, model, method, args, kwargs)


def _fill_and_sign(browser, password):
    field = wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, DIALOG + " .o_field_widget[name=password]")))
    field.clear()
    field.send_keys(password)
    meaning = browser.find_element(
        By.CSS_SELECTOR, DIALOG + " .o_field_widget[name=meaning] input[data-value=review]")
    browser.execute_script("arguments[0].click();", meaning)
    browser.find_element(By.XPATH, "//div[contains(@class,'modal-footer')]"
                                   "//button[contains(normalize-space(.), 'Sign')]").click()


def test_wrong_then_right_password_in_the_signing_dialog(browser, odoo_server):
    uid = ensure_user(odoo_server, DB, QM_LOGIN, QM_PASSWORD, "Sam Signer",
                      QUALITY_MANAGER_GROUPS)
    failures_before = _rpc(odoo_server, "serial.audit.entry", "search_count",
                           [[("action", "=", "sign_failed"), ("user_id", "=", uid)]])
    login(browser, odoo_server, QM_LOGIN, QM_PASSWORD)
    open_menu_item(browser, odoo_server, DB, "serial_traceability.serial_audit_verify_menu_run")
    form = wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_form_view .alert-info")))
    wait(browser).until(lambda b: "intact" in form.text)

    click_button(browser, "Sign")
    _fill_and_sign(browser, WRONG)
    wait(browser).until(lambda b: any(
        "Wrong password" in d.text for d in b.find_elements(By.CSS_SELECTOR, DIALOG)))
    warning = [d for d in browser.find_elements(By.CSS_SELECTOR, DIALOG)
               if "Wrong password" in d.text][0]
    warning.find_element(By.XPATH, ".//button[contains(normalize-space(.), 'Ok')]").click()
    wait(browser).until(lambda b: not any(
        "Wrong password" in d.text for d in b.find_elements(By.CSS_SELECTOR, DIALOG)))
    assert _rpc(odoo_server, "serial.audit.entry", "search_count",
                [[("action", "=", "sign_failed"), ("user_id", "=", uid)]]) \
        == failures_before + 1, "the failure outlived the refused Sign request"

    _fill_and_sign(browser, QM_PASSWORD)
    wait(browser).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, DIALOG)))
    runs = _rpc(odoo_server, "serial.audit.verify", "search_read",
                [[("user_id", "=", uid)]], {"fields": ["signature_state"],
                                            "order": "id desc", "limit": 1})
    assert runs[0]["signature_state"] == "valid"
    signatures = _rpc(odoo_server, "serial.signature", "search_read",
                      [[("res_model", "=", "serial.audit.verify"),
                        ("res_id", "=", runs[0]["id"])]], {"fields": ["signer_name"]})
    assert [s["signer_name"] for s in signatures] == ["Sam Signer"]
    dialogs = _rpc(odoo_server, "serial.sign.wizard", "search_read",
                   [[("create_uid", "=", uid)]], {"fields": ["password", "password_check"]})
    assert dialogs and not any(d["password"] for d in dialogs)
    assert WRONG not in repr(dialogs) and QM_PASSWORD not in repr(dialogs)

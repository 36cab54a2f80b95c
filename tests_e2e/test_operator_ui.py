"""The operator's journey, as the demo user ``operator`` (Inventory user only): an
immediate receipt of 5 serial-tracked units, numbered with *Generate serials*, then
validated. The lot columns are there because installing the addon turned on Lots &
Serial Numbers for every internal user."""
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

import helpers
from conftest import DB
from odoo_rpc import call

OPERATOR = ("operator", "operator")


def test_operator_receives_five_serials_on_an_immediate_receipt(browser, odoo_server):
    base = odoo_server
    helpers.login(browser, base, *OPERATOR)
    helpers.open_receipt_card_action(browser, base, "Immediate Transfer")
    helpers.pick_many2one(browser, browser.find_element(
        By.CSS_SELECTOR, ".o_form_view .o_field_widget[name=partner_id] input"), "Nordic")
    browser.find_element(By.XPATH, "//a[text()='Add an item']").click()
    row = helpers.wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_field_one2many[name=move_lines] tr.o_selected_row")))
    helpers.pick_many2one(browser, row.find_element(
        By.CSS_SELECTOR, ".o_field_widget[name=product_id] input"), "Microcontroller")
    # no demand on an immediate transfer: the operator saves it, then says what
    # arrived in the line's detailed operations
    helpers.click_button(browser, "Save")
    helpers.wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_form_view.o_form_readonly")))
    # too early: nothing says how many units arrived, and the refusal says where to
    # say it, titled as a warning rather than a server error
    helpers.click_button(browser, "Generate serials")
    warning = helpers.wait(browser).until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, ".modal-dialog")))
    assert warning.find_element(By.CSS_SELECTOR, ".modal-title").text == "Warning"
    assert "does not say how many units" in warning.text
    helpers.click_dialog_button(browser, "Ok")
    helpers.wait(browser).until(EC.invisibility_of_element_located(
        (By.CSS_SELECTOR, ".modal-dialog")))
    browser.find_element(By.CSS_SELECTOR, ".o_field_one2many[name=move_lines] "
                         "button[title='Register lots, packs, location']").click()
    dialog = helpers.wait(browser).until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, ".modal-dialog .o_form_view")))
    rows = ".modal-dialog .o_field_x2many_list tr.o_data_row"
    for unit in range(5):  # one line per serial-numbered unit, Done 1, no number yet
        dialog.find_element(By.XPATH, ".//a[text()='Add an item']").click()
        helpers.wait(browser).until(
            lambda d, n=unit + 1: len(d.find_elements(By.CSS_SELECTOR, rows)) == n)
        done = browser.find_elements(By.CSS_SELECTOR, rows)[-1].find_element(
            By.CSS_SELECTOR, ".o_field_widget[name=qty_done]")
        done.send_keys(Keys.CONTROL, "a")
        done.send_keys("1")
    helpers.click_dialog_button(browser, "Confirm")
    helpers.wait(browser).until(EC.invisibility_of_element_located(
        (By.CSS_SELECTOR, ".modal-dialog")))
    picking = helpers.current_record_id(browser)
    helpers.screenshot(browser, "operator_1_immediate_receipt.png")

    helpers.click_button(browser, "Generate serials")
    dialog = helpers.wait(browser).until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, ".modal-dialog .o_form_view")))
    assert "5" in dialog.find_element(By.CSS_SELECTOR, "td[data-field=quantity], "
                                                       ".o_list_view td.o_list_number").text
    checkbox = dialog.find_element(By.XPATH, ".//label[contains(., 'Print labels')]"
                                             "/ancestor::tr//input[@type='checkbox']")
    if checkbox.is_selected():
        browser.execute_script("arguments[0].click();", checkbox)
    helpers.screenshot(browser, "operator_2_generate_serials.png")
    helpers.click_dialog_button(browser, "Generate")
    # the dialog closes and the transfer behind it shows the new numbers
    helpers.wait(browser).until(EC.invisibility_of_element_located(
        (By.CSS_SELECTOR, ".modal-dialog")))
    lines = call(base, DB, "stock.move.line", "search_read", [[("picking_id", "=", picking)]],
                 {"fields": ["lot_name", "qty_done"], "order": "id"})
    names = [line["lot_name"] for line in lines]
    assert len(names) == 5 and all(names), names
    assert [line["qty_done"] for line in lines] == [1.0] * 5
    helpers.wait(browser).until(EC.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".o_field_one2many[name=move_lines] td[data-field=quantity_done],"
                          ".o_field_one2many[name=move_lines] .o_data_row"), "5.000"))
    helpers.screenshot(browser, "operator_3_numbered.png")

    helpers.click_button(browser, "Validate")
    helpers.wait(browser).until(lambda d: call(base, DB, "stock.picking", "read", [
        [picking], ["state"]])[0]["state"] == "done")
    time.sleep(1)
    helpers.screenshot(browser, "operator_4_validated.png")
    lots = call(base, DB, "stock.production.lot", "search_read",
                [[("name", "in", names)]], {"fields": ["unit_state"]})
    assert sorted(lot["unit_state"] for lot in lots) == ["in_stock"] * 5

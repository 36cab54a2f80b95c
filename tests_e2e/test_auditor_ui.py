"""The auditor's journey, as the demo user ``auditor`` (read-only): the Audit app,
the trail in words (field labels, old → new values; the raw record in a technical
tab), then a signed quality event and its signatures. Nothing offers to edit."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

import helpers
from conftest import DB

AUDITOR = ("auditor", "auditor")


def test_auditor_reads_the_trail_and_a_signed_event(browser, odoo_server):
    base = odoo_server
    helpers.login(browser, base, *AUDITOR)
    helpers.wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, "a[data-menu-xmlid='serial_traceability.menu_audit_root']")))
    menus = browser.find_element(By.ID, "oe_main_menu_navbar").get_attribute("textContent")
    assert "Inventory" not in menus
    helpers.open_menu_item(browser, base, DB, "serial_traceability.menu_audit_trail")
    helpers.wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_list_view tr.o_data_row")))
    headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, ".o_list_view thead th")]
    assert "Changes" in headers and "Record type" in headers
    assert not browser.find_elements(By.CSS_SELECTOR, ".o_list_button_add")
    # the signatures, with the trail's own filter
    for toggle in browser.find_elements(By.CSS_SELECTOR, ".o_searchview_more.fa-search-plus"):
        toggle.click()  # Odoo 11 hides the filter buttons behind this icon
    helpers.wait(browser).until(EC.element_to_be_clickable(
        (By.XPATH, "//button[contains(normalize-space(.), 'Filters')]"))).click()
    table = browser.find_element(By.CSS_SELECTOR, ".o_list_view")
    helpers.wait(browser).until(EC.element_to_be_clickable(
        (By.XPATH, "//ul[contains(@class,'o_filters_menu')]//a[normalize-space(.)="
                   "'Signatures']"))).click()
    helpers.wait(browser).until(EC.staleness_of(table))
    helpers.wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_list_view tr.o_data_row")))
    page = browser.find_element(By.CSS_SELECTOR, ".o_list_view").text
    assert "Signed" in page and "Meaning: Approval" in page
    assert '{"' not in page  # no raw JSON in the list
    helpers.screenshot(browser, "auditor_1_audit_trail.png")

    signed = browser.find_element(By.XPATH, "//tr[contains(@class,'o_data_row')]"
                                            "[.//td[normalize-space(.)='Signed']]"
                                            "[contains(., 'Meaning: Approval')]")
    signed.find_element(By.CSS_SELECTOR, "td.o_data_cell").click()
    helpers.wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_form_view .o_notebook")))
    assert not browser.find_elements(By.CSS_SELECTOR, ".o_form_button_edit")
    form = browser.find_element(By.CSS_SELECTOR, ".o_form_view").text
    assert "Meaning: Approval" in form
    browser.find_element(By.XPATH, "//a[@role='tab'][normalize-space(.)='Technical']").click()
    helpers.wait(browser).until(EC.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".o_form_view .tab-pane.active"), '"meaning":"approval"'))
    helpers.screenshot(browser, "auditor_2_audit_entry.png")

    helpers.open_menu_item(browser, base, DB, "serial_traceability.menu_audit_quality_event")
    row = helpers.wait(browser).until(EC.presence_of_element_located(
        (By.XPATH, "//tr[contains(@class,'o_data_row')][.//td[normalize-space(.)='Approved']]")))
    row.find_element(By.CSS_SELECTOR, "td.o_data_cell").click()
    helpers.wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_form_view .o_notebook")))
    assert not browser.find_elements(By.CSS_SELECTOR, ".o_form_button_edit")
    browser.find_element(By.XPATH, "//a[@role='tab'][normalize-space(.)='Signatures']").click()
    helpers.wait(browser).until(EC.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".o_form_view .tab-pane.active"), "Administrator"))
    helpers.screenshot(browser, "auditor_3_signed_event.png")

"""The quality manager's journey, as the demo user ``quality``: a unit typed in lower
case in *Find a unit*, then *Where from* lists every level at once, with how much of
each component went in, and a click on the capacitor lot's row opens that lot."""
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

import helpers
from conftest import DB
from odoo_rpc import call

QUALITY = ("quality", "quality")


def trace_rows(browser):
    """{lot or product: {column title: text}} of the trace list on screen."""
    helpers.wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_list_view tr.o_data_row")))
    titles = [th.text for th in browser.find_elements(By.CSS_SELECTOR, ".o_list_view thead th")
              if "o_list_record_selector" not in th.get_attribute("class")]
    rows = {}
    for tr in browser.find_elements(By.CSS_SELECTOR, ".o_list_view tr.o_data_row"):
        cells = dict(zip(titles, tr.find_elements(By.CSS_SELECTOR, "td.o_data_cell")))
        texts = {title: cell.text for title, cell in cells.items()}
        rows[texts["Lot/Serial"] or texts["Product"]] = dict(texts, element=cells["Lot/Serial"])
    return rows


def test_quality_manager_goes_from_a_typed_serial_to_the_capacitor_lot(browser, odoo_server):
    base = odoo_server
    helpers.login(browser, base, *QUALITY)
    helpers.open_menu_item(browser, base, DB, "serial_traceability.serial_lookup_menu")
    code = helpers.wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_serial_lookup input[name=code]")))
    # the screen opens ready to type, with no Save/Discard: it changes nothing
    helpers.wait(browser).until(lambda d: d.switch_to.active_element == code)
    assert not browser.find_elements(By.CSS_SELECTOR, ".o_form_button_save")
    browser.switch_to.active_element.send_keys("pump-0007" + Keys.ENTER)
    helpers.wait(browser).until(EC.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".o_serial_lookup .o_field_widget[name=lot_id]"), "PUMP-0007"))
    helpers.screenshot(browser, "quality_1_find_a_unit.png")

    form = browser.find_element(By.CSS_SELECTOR, ".o_form_view.o_serial_lookup")
    helpers.click_button(browser, "Where from")
    helpers.wait(browser).until(EC.staleness_of(form))
    rows = trace_rows(browser)
    breadcrumb = browser.find_element(By.CSS_SELECTOR, ".o_control_panel .breadcrumb").text
    assert "Find a unit: PUMP-0007" in breadcrumb and "What went into PUMP-0007" in breadcrumb
    # every level in one list: the PCB, its capacitors and MCU, the battery, and
    # the untracked housing, each with the quantity that went in
    assert {"PCB-0007", "CAP-L7", "MCU-0007", "BAT-2026B"} <= set(rows)
    assert rows["CAP-L7"]["Quantity"] == "2.000"
    assert rows["CAP-L7"]["Unit of measure"] == "Unit(s)"
    assert rows["CAP-L7"]["Reached from"] == "PCB-0007"
    housing = [name for name in rows if "housing" in name.lower()]
    assert housing and rows[housing[0]]["Status"] == "Not tracked"
    assert not {"PCB-0008", "MCU-0008", "CAP-L1"} & set(rows)
    helpers.screenshot(browser, "quality_2_where_from.png")

    list_view = browser.find_element(By.CSS_SELECTOR, ".o_list_view")
    rows["CAP-L7"]["element"].click()
    helpers.wait(browser).until(EC.staleness_of(list_view))
    helpers.wait(browser).until(EC.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".o_form_view .oe_title, .o_form_view h1"), "CAP-L7"))
    breadcrumb = browser.find_element(By.CSS_SELECTOR, ".o_control_panel .breadcrumb").text
    assert breadcrumb.endswith("CAP-L7"), breadcrumb
    helpers.screenshot(browser, "quality_3_capacitor_lot.png")


def test_genealogy_picture_of_a_pump_shows_its_own_parts(browser, odoo_server):
    """PUMP-0007's picture, drawn by Graphviz on the server: its PCB, capacitor lot
    and MCU, and its customer; not the parts of PUMP-0008, built the same day."""
    base = odoo_server
    helpers.login(browser, base, *QUALITY)
    lot_id = call(base, DB, "stock.production.lot", "search", [[("name", "=", "PUMP-0007")]])[0]
    action = call(base, DB, "ir.model.data", "xmlid_to_res_id",
                  ["stock.action_production_lot_form"])
    helpers.open_record(browser, base, "stock.production.lot", lot_id, action)
    form = browser.find_element(By.CSS_SELECTOR, ".o_form_view")
    helpers.click_button(browser, "Genealogy picture")
    helpers.wait(browser).until(EC.staleness_of(form))
    svg = helpers.wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_serial_genealogy_svg svg")))
    texts = [t.get_attribute("textContent")
             for t in svg.find_elements(By.CSS_SELECTOR, "text")]
    for name in ("PUMP-0007", "PCB-0007", "CAP-L7", "MCU-0007", "BAT-2026B", "City Clinic"):
        assert name in texts, (name, texts)
    for sibling in ("PCB-0008", "MCU-0008", "CAP-L1", "PUMP-0008"):
        assert sibling not in texts, sibling
    assert "shipped" in texts and "consumed" in texts
    breadcrumb = browser.find_element(By.CSS_SELECTOR, ".o_control_panel .breadcrumb").text
    assert breadcrumb.endswith("Genealogy of PUMP-0007"), breadcrumb
    helpers.screenshot(browser, "quality_4_genealogy_picture.png")

    # a click on a box opens that unit
    node = svg.find_element(By.XPATH, ".//*[local-name()='a'][.//*[local-name()='text']"
                                      "[.='CAP-L7']]")
    browser.execute_script(
        "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}));", node)
    helpers.wait(browser).until(EC.staleness_of(svg))
    helpers.wait(browser).until(EC.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".o_form_view h1"), "CAP-L7"))

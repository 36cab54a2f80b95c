"""Scan a demo pump's GS1 code into the lookup screen: its history opens."""
import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from conftest import DB
from helpers import click_button, list_cells, login, open_menu, screenshot, wait
from odoo_rpc import call

# What the pump's DataMatrix sends: symbology id, (01) GTIN, (21) serial.
PUMP_GTIN = "09506000134352"
SCAN = "]d2" + "01" + PUMP_GTIN + "21" + "PUMP-0003"


def _lots_and_serials_on(base_url):
    """The Traceability menu shows with Inventory's "Lots & Serial Numbers" setting,
    as it does for any user of this addon; turn it on as an admin would."""
    if not call(base_url, DB, "res.users", "has_group", ["stock.group_production_lot"]):
        settings = call(base_url, DB, "res.config.settings", "create",
                        [{"group_stock_production_lot": True}])
        call(base_url, DB, "res.config.settings", "execute", [[settings]])


def _open_lookup(browser, base_url):
    _lots_and_serials_on(base_url)
    login(browser, base_url)
    open_menu(browser, "Inventory")
    # Odoo 11 CE lists an app's sections in the left bar: Traceability ▸ Find a unit.
    section = "//div[contains(@class, 'oe_secondary_menu_section')]" \
              "[contains(normalize-space(.), 'Traceability')]"
    wait(browser).until(EC.visibility_of_element_located((By.XPATH, section)))
    item = "a[data-menu-xmlid='serial_traceability.serial_lookup_menu']"
    wait(browser).until(EC.element_to_be_clickable((By.CSS_SELECTOR, item))).click()
    wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_form_view.o_serial_lookup")))
    time.sleep(1)  # the barcode handler attaches once the form is rendered


def _scan(browser, code):
    """Type the code as a keyboard-wedge scanner does: fast keys, then Enter, with
    no input focused (the web client's barcode listener takes them)."""
    browser.execute_script("document.activeElement && document.activeElement.blur();")
    ActionChains(browser).send_keys(code + Keys.ENTER).perform()


def _history_rows(browser):
    selector = ".o_field_widget[name=history_ids] tr.o_data_row"
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, selector)))
    time.sleep(1)
    rows = []
    for tr in browser.find_elements(By.CSS_SELECTOR, selector):
        cells = [td.text for td in tr.find_elements(By.CSS_SELECTOR, "td.o_data_cell")]
        # date, lot/serial, event, partner, reference, details, by
        rows.append({"lot": cells[1], "event": cells[2], "partner": cells[3]})
    return rows


def test_scanning_a_pump_opens_its_history(browser, odoo_server):
    _open_lookup(browser, odoo_server)
    _scan(browser, SCAN)
    rows = _history_rows(browser)
    screenshot(browser, "unit_lookup.png")
    by_event = {}
    for row in rows:
        by_event.setdefault(row["event"], set()).add(row["lot"])
    # The pump itself was built and shipped to St. Mary's, never received ...
    assert "PUMP-0003" in by_event["Built"]
    assert by_event["Shipped"] == {"PUMP-0003"}
    shipped = [r for r in rows if r["event"] == "Shipped"]
    assert [r["partner"] for r in shipped] == ["St. Mary's Hospital"]
    assert "PUMP-0003" not in by_event.get("Received", set())
    # ... from what went into it at every level (each row: how much, into which
    # unit, and where the component came from), not the components' own receipts.
    assert {"MCU-0003", "CAP-L1", "BAT-2026A", "PCB-0003"} <= by_event["Consumed"]
    assert not by_event["Consumed"] & {"CAP-L7", "BAT-2026B", "MCU-0004"}
    assert "Received" not in by_event
    page = browser.find_element(By.CSS_SELECTOR, ".o_form_view").text
    assert "(21) PUMP-0003" in page and "(01) " + PUMP_GTIN in page

    # The whole timeline, with its filters and groupings, is one click away.
    form = browser.find_element(By.CSS_SELECTOR, ".o_form_view.o_serial_lookup")
    click_button(browser, "Full history")
    wait(browser).until(EC.staleness_of(form))
    time.sleep(1)
    cells = list_cells(browser)
    screenshot(browser, "unit_history.png")
    assert "PUMP-0003" in cells and "Shipped" in cells and "Consumed" in cells


def test_unreadable_scan_says_so_and_writes_nothing(browser, odoo_server):
    before = call(odoo_server, DB, "stock.production.lot", "search_count", [[]])
    _open_lookup(browser, odoo_server)
    _scan(browser, "]d2" + "01" + PUMP_GTIN[:-1] + "9" + "21" + "PUMP-0003")
    warning = wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, ".modal-dialog, .o_notification")))
    assert "check digit" in warning.text
    assert call(odoo_server, DB, "stock.production.lot", "search_count", [[]]) == before


def test_find_by_scan_over_json_rpc(odoo_server):
    """The call docs/unit-history.md shows: a handheld sends the raw scan, GS included,
    over JSON-RPC."""
    gs = "\x1d"
    found = call(odoo_server, DB, "stock.production.lot", "find_by_scan",
                 ["]d2" + "01" + PUMP_GTIN + "10" + "B7" + gs + "21" + "PUMP-0003"])
    assert found["gs1"] == {"01": PUMP_GTIN, "10": "B7", "21": "PUMP-0003"}
    assert len(found["lot_ids"]) == 1
    name = call(odoo_server, DB, "stock.production.lot", "read", [found["lot_ids"], ["name"]])
    assert name[0]["name"] == "PUMP-0003"

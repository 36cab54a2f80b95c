"""The lot form in a real browser: demo lots, smart buttons, all-levels trace."""
import time

from conftest import DB
from helpers import click_button, list_cells, login, open_menu, open_record, screenshot
from odoo_rpc import call


def _open_lot(browser, base_url, name):
    lot_id = call(base_url, DB, "stock.production.lot", "search", [[("name", "=", name)]])[0]
    action_id = call(base_url, DB, "ir.model.data", "xmlid_to_res_id",
                     ["stock.action_production_lot_form"])
    open_record(browser, base_url, "stock.production.lot", lot_id, action_id)


def test_lot_form_used_in_shows_the_pumps(browser, odoo_server):
    login(browser, odoo_server)
    open_menu(browser, "Inventory")
    _open_lot(browser, odoo_server, "BAT-2026A")
    screenshot(browser, "lot_form.png")
    click_button(browser, "Used in")
    time.sleep(1)
    cells = list_cells(browser)
    pumps = sorted(c for c in cells if c.startswith("PUMP-"))
    assert pumps == ["PUMP-%04d" % i for i in range(1, 7)]


def test_where_used_trace_reaches_customers(browser, odoo_server):
    login(browser, odoo_server)
    _open_lot(browser, odoo_server, "CAP-L7")
    click_button(browser, "Where used")
    time.sleep(1)
    cells = list_cells(browser)
    screenshot(browser, "trace_where_used.png")
    assert "PCB-0007" in cells and "PUMP-0009" in cells
    assert "City Clinic" in cells and "MedSupply Distribution Ltd" in cells
    assert "PUMP-0001" not in cells  # built with CAP-L1, not the suspect lot

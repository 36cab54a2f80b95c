"""Small steps a person takes in Odoo 11's web client."""
import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from odoo_rpc import call

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def wait(driver, seconds=30):
    return WebDriverWait(driver, seconds)


def login(driver, base_url, login="admin", password="admin"):
    driver.get(base_url + "/web/login")
    driver.find_element(By.NAME, "login").send_keys(login)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(driver).until(EC.presence_of_element_located((By.ID, "oe_main_menu_navbar")))


def ensure_user(base_url, db, login, password, name, group_xmlids):
    """The id of the user ``login``, created by RPC with ``group_xmlids`` if missing."""
    found = call(base_url, db, "res.users", "search", [[("login", "=", login)]])
    if found:
        return found[0]
    groups = [call(base_url, db, "ir.model.data", "xmlid_to_res_id", [xmlid])
              for xmlid in group_xmlids]
    return call(base_url, db, "res.users", "create", [{
        "name": name, "login": login, "password": password, "email": login,
        "groups_id": [(6, 0, groups)]}])


QUALITY_MANAGER_GROUPS = ("serial_traceability.group_quality_manager",
                          "stock.group_production_lot")


def open_record(driver, base_url, model, res_id, action_id):
    """Open a record's form through a window action, as a menu would (without the
    action Odoo falls back to the model's simplest form)."""
    # A query string forces a full load: a change of the hash alone is not always seen.
    driver.get("%s/web?#model=%s&id=%d&view_type=form&action=%d"
               % (base_url, model, res_id, action_id))
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".o_form_view")))


def open_menu_item(driver, base_url, db, xmlid):
    """Open a menu item the user sees, by its xmlid. The item must be in the user's
    menus; its action is then loaded by URL, as a bookmark of the menu would: a click
    while the web client still loads its home action can lose the race to that action."""
    driver.get(base_url + "/web")
    item = "a[data-menu-xmlid='%s']" % xmlid
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, item)))
    menu_id = call(base_url, db, "ir.model.data", "xmlid_to_res_id", [xmlid])
    action = call(base_url, db, "ir.ui.menu", "read", [[menu_id], ["action"]])[0]["action"]
    driver.get("%s/web?#menu_id=%d&action=%s" % (base_url, menu_id, action.split(",")[1]))


def open_menu(driver, text):
    xpath = "//nav[@id='oe_main_menu_navbar']//a[contains(normalize-space(.), '%s')]" % text
    wait(driver).until(EC.element_to_be_clickable((By.XPATH, xpath))).click()
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".o_control_panel")))


def click_button(driver, text):
    xpath = "//button[contains(normalize-space(.), '%s')]" % text
    wait(driver).until(EC.element_to_be_clickable((By.XPATH, xpath))).click()


def click_dialog_button(driver, text):
    """A button of the open dialog's footer."""
    xpath = ("//div[contains(@class,'modal-footer')]//button[contains(normalize-space(.), '%s')]"
             % text)
    wait(driver).until(EC.element_to_be_clickable((By.XPATH, xpath))).click()


def pick_many2one(driver, field_input, text):
    """Type ``text`` in a many2one and take the first proposal."""
    field_input.send_keys(text)
    wait(driver).until(lambda d: [a for a in d.find_elements(
        By.CSS_SELECTOR, "ul.ui-autocomplete li a") if a.is_displayed()])
    [a for a in driver.find_elements(By.CSS_SELECTOR, "ul.ui-autocomplete li a")
     if a.is_displayed()][0].click()
    wait(driver).until(lambda d: not [u for u in d.find_elements(
        By.CSS_SELECTOR, "ul.ui-autocomplete") if u.is_displayed()])


def open_receipt_card_action(driver, base_url, text):
    """Inventory's dashboard ▸ the Receipts card's menu ▸ ``text`` (Immediate or
    Planned Transfer), as an operator starts a receipt."""
    driver.get(base_url + "/web#action=stock.stock_picking_type_action")
    card = wait(driver).until(EC.presence_of_element_located((
        By.XPATH, "//div[contains(@class,'o_kanban_record')][.//*[normalize-space(.)="
                  "'Receipts']]")))
    card.find_element(By.CSS_SELECTOR, ".o_kanban_manage_toggle_button").click()
    wait(driver).until(EC.element_to_be_clickable(
        (By.XPATH, "//a[contains(normalize-space(.), '%s')]" % text))).click()
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".o_form_editable")))


def current_record_id(driver):
    """The id of the form's record, from the URL (once it is saved)."""
    wait(driver).until(lambda d: "id=" in d.current_url.split("#", 1)[-1])
    fragment = driver.current_url.split("#", 1)[1]
    params = dict(p.split("=", 1) for p in fragment.split("&") if "=" in p)
    return int(params["id"])


def list_cells(driver):
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".o_list_view")))
    return [c.text for c in driver.find_elements(By.CSS_SELECTOR, ".o_list_view td.o_data_cell")]


def screenshot(driver, name):
    # the web client's "Loading" badge: wait for what it loads (the chatter, a list)
    wait(driver).until(lambda d: not [e for e in d.find_elements(By.CSS_SELECTOR, ".o_loading")
                                      if e.is_displayed()])
    path = os.path.join(ROOT, "docs", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    assert driver.save_screenshot(path), "could not write " + path
    return path

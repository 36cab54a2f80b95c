"""Generate serials on a receipt in the browser: open the receipt, click *Generate
serials*, type one vendor serial per unit in the dialog, Generate; the operations then
carry the new serials from the product's pattern and the vendor's beside them.

The receipt (3 units of a product with its own pattern) is made over JSON-RPC first.
"""
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

import helpers
from conftest import DB
from odoo_rpc import call


def rpc(base, model, method, args, kwargs=None):
    return call(base, DB, model, method, args, kwargs)


def make_receipt(base, tag):
    product = rpc(base, "product.product", "create", [{
        "name": "E2E sensor %s" % tag, "type": "product", "tracking": "serial",
        "serial_pattern": "E%s-{seq:3}" % tag}])
    warehouse = rpc(base, "stock.warehouse", "search_read", [[]],
                    {"fields": ["in_type_id"], "limit": 1})[0]
    in_type = warehouse["in_type_id"][0]
    dest = rpc(base, "stock.picking.type", "read",
               [[in_type], ["default_location_dest_id"]])[0]["default_location_dest_id"][0]
    supplier = rpc(base, "ir.model.data", "xmlid_to_res_id", ["stock.stock_location_suppliers"])
    uom = rpc(base, "product.product", "read", [[product], ["uom_id"]])[0]["uom_id"][0]
    picking = rpc(base, "stock.picking", "create", [{
        "picking_type_id": in_type, "location_id": supplier, "location_dest_id": dest,
        "move_lines": [(0, 0, {
            "name": "sensors", "product_id": product, "product_uom_qty": 3,
            "product_uom": uom, "picking_type_id": in_type, "location_id": supplier,
            "location_dest_id": dest})]}])
    rpc(base, "stock.picking", "action_confirm", [[picking]])
    return picking


def test_generate_serials_on_a_receipt(browser, odoo_server):
    base = odoo_server
    tag = "%05d" % (int(time.time()) % 100000)
    picking = make_receipt(base, tag)
    action = rpc(base, "ir.model.data", "xmlid_to_res_id", ["stock.action_picking_tree_all"])
    helpers.login(browser, base)
    helpers.open_record(browser, base, "stock.picking", picking, action)
    helpers.click_button(browser, "Generate serials")
    dialog = helpers.wait(browser).until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, ".modal-dialog .o_form_view")))
    # no PDF download in a headless browser: untick "Print labels"
    checkbox = dialog.find_element(By.XPATH, ".//label[contains(., 'Print labels')]"
                                   "/ancestor::tr//input[@type='checkbox']")
    if checkbox.is_selected():
        browser.execute_script("arguments[0].click();", checkbox)
    dialog.find_element(By.CSS_SELECTOR, "td.o_data_cell[data-field='vendor_codes'], "
                                         ".o_list_view td.o_data_cell:last-child").click()
    editor = helpers.wait(browser).until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, ".modal-dialog textarea")))
    editor.send_keys("VS-1\nVS-2\nVS-3")
    helpers.screenshot(browser, "serial_generate_dialog.png")
    browser.find_element(By.XPATH, "//div[contains(@class,'modal-footer')]"
                                   "//button[contains(normalize-space(.), 'Generate')]").click()
    helpers.wait(browser).until(EC.invisibility_of_element_located(
        (By.CSS_SELECTOR, ".modal-dialog")))
    lines = rpc(base, "stock.move.line", "search_read", [[("picking_id", "=", picking)]],
                {"fields": ["lot_id", "lot_name", "qty_done"], "order": "id"})
    assert [line["lot_name"] for line in lines] == ["E%s-%03d" % (tag, i) for i in (1, 2, 3)]
    assert [line["qty_done"] for line in lines] == [1.0, 1.0, 1.0]
    # the vendor number goes to the unit history's vendor_lot, else to the host's ref
    field = "vendor_lot" if "vendor_lot" in rpc(
        base, "stock.production.lot", "fields_get", [], {"attributes": ["type"]}) else "ref"
    lots = rpc(base, "stock.production.lot", "read",
               [[line["lot_id"][0] for line in lines], [field]])
    vendor = [lot[field] for lot in lots]
    assert vendor == ["VS-1", "VS-2", "VS-3"]
    browser.refresh()
    helpers.wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".o_form_view")))
    helpers.screenshot(browser, "serial_generate_receipt.png")

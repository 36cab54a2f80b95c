"""A new finished pump built over RPC through the host's own flows, as the demo's
``HostFlow`` builds its units (receipt, produce wizard, mark done), final-tested and
approved by the quality manager's signature: a unit ready for release, made anew
for each run (a released unit stays released in the shared database)."""
import time

from odoo_rpc import call

QUALITY = ("quality", "quality")
FINAL_TEST = [("Flow rate accuracy", 99.4, "%", "range", 95.0, 105.0),
              ("Earth leakage current", 0.03, "mA", "max", 0.0, 0.1)]


class RpcFlow(object):
    def __init__(self, base, db):
        self.base, self.db = base, db

    def __call__(self, model, method, args, kwargs=None, user=("admin", "admin")):
        return call(self.base, self.db, model, method, args, kwargs, *user)

    def ref(self, xmlid):
        return self("ir.model.data", "xmlid_to_res_id", ["serial_traceability." + xmlid])

    def uom(self, product_id):
        return self("product.product", "read", [[product_id], ["uom_id"]])[0]["uom_id"][0]

    def lot(self, product_id, name):
        return self("stock.production.lot", "create", [{"product_id": product_id,
                                                        "name": name}])

    def receive(self, partner_id, lines):
        """Receive ``lines`` [(product id, qty, lot id or None)] from a supplier."""
        warehouse = self("stock.warehouse", "search_read", [[]],
                         {"fields": ["in_type_id"], "limit": 1})[0]
        supplier = self("ir.model.data", "xmlid_to_res_id", ["stock.stock_location_suppliers"])
        stock = self("stock.picking.type", "read", [[warehouse["in_type_id"][0]],
                                                    ["default_location_dest_id"]])[0]
        dest = stock["default_location_dest_id"][0]
        picking = self("stock.picking", "create", [{
            "picking_type_id": warehouse["in_type_id"][0], "partner_id": partner_id,
            "location_id": supplier, "location_dest_id": dest}])
        moves = {}
        for product_id, qty, _lot in lines:
            moves[product_id] = self("stock.move", "create", [{
                "name": "E2E receipt", "picking_id": picking, "product_id": product_id,
                "product_uom": self.uom(product_id), "product_uom_qty": qty,
                "location_id": supplier, "location_dest_id": dest}])
        self("stock.picking", "action_confirm", [[picking]])
        reserved = self("stock.move.line", "search", [[("picking_id", "=", picking)]])
        if reserved:
            self("stock.move.line", "unlink", [reserved])
        for product_id, qty, lot_id in lines:
            self("stock.move.line", "create", [{
                "move_id": moves[product_id], "picking_id": picking,
                "product_id": product_id, "product_uom_id": self.uom(product_id),
                "location_id": supplier, "location_dest_id": dest, "qty_done": qty,
                "lot_id": lot_id or False}])
        self("stock.picking", "button_validate", [[picking]])
        return picking

    def produce(self, product_id, lot_id, components):
        """One MO of one unit ``lot_id`` through the produce wizard, tracked
        ``components`` [(product id, qty, lot id)], then marked done."""
        bom = self("mrp.bom", "search", [[("product_id", "=", product_id)]], {"limit": 1})
        production = self("mrp.production", "create", [{
            "product_id": product_id, "product_qty": 1, "bom_id": bom[0],
            "product_uom_id": self.uom(product_id)}])
        self("mrp.production", "action_assign", [[production]])
        raw = self("stock.move", "search_read", [[
            ("raw_material_production_id", "=", production)]],
            {"fields": ["product_id"]})
        move_of = {m["product_id"][0]: m["id"] for m in raw}
        context = {"context": {"active_id": production, "active_ids": [production]}}
        wizard = self("mrp.product.produce", "create", [{
            "product_qty": 1, "lot_id": lot_id, "produce_line_ids": [
                (0, 0, {"move_id": move_of[pid], "product_id": pid,
                        "product_uom_id": self.uom(pid), "lot_id": lot, "qty_to_consume": qty,
                        "qty_done": qty}) for pid, qty, lot in components]}], context)
        self("mrp.product.produce", "do_produce", [[wizard]], context)
        self("mrp.production", "button_mark_done", [[production]])
        return production

    def approve_final_test(self, lot_id):
        """A passed final test of the unit, approved with the quality manager's
        signature through the signing dialog's model (password typed)."""
        event = self("serial.quality.event", "create", [{
            "kind": "test", "result": "pass", "lot_ids": [(6, 0, [lot_id])],
            "description": "Final functional test (browser test unit)",
            "measurement_ids": [
                (0, 0, {"parameter": name, "value": value, "uom": uom, "limit_kind": kind,
                        "min_value": low, "max_value": high})
                for name, value, uom, kind, low, high in FINAL_TEST]}], user=QUALITY)
        wizard = self("serial.sign.wizard", "create", [{
            "res_model": "serial.quality.event", "res_id": event, "meaning": "approval",
            "password": QUALITY[1]}], user=QUALITY)
        self("serial.sign.wizard", "action_sign", [[wizard]], user=QUALITY)
        return event


def build_unreleased_pump(base, db):
    """A done, final-tested pump awaiting release: its name."""
    flow = RpcFlow(base, db)
    tag = "%d" % (time.time() * 10 % 10 ** 9)
    cap, mcu = flow.ref("demo_product_capacitor"), flow.ref("demo_product_mcu")
    bat, hsg = flow.ref("demo_product_battery"), flow.ref("demo_product_housing")
    pcb, pump = flow.ref("demo_product_pcb"), flow.ref("demo_product_pump")
    mcu_lot, bat_lot = flow.lot(mcu, "MCU-E" + tag), flow.lot(bat, "BAT-E" + tag)
    cap_lot = flow("stock.production.lot", "search", [[("name", "=", "CAP-L1")]])[0]
    flow.receive(flow.ref("demo_partner_nordic"), [(mcu, 1, mcu_lot)])
    flow.receive(flow.ref("demo_partner_voltcell"), [(bat, 1, bat_lot), (hsg, 1, None)])
    pcb_lot = flow.lot(pcb, "PCB-E" + tag)
    flow.produce(pcb, pcb_lot, [(cap, 2, cap_lot), (mcu, 1, mcu_lot)])
    name = "PUMP-E" + tag
    pump_lot = flow.lot(pump, name)
    flow.produce(pump, pump_lot, [(pcb, 1, pcb_lot), (bat, 1, bat_lot)])
    flow.approve_final_test(pump_lot)
    return name

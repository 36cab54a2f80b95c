# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The demo factory's history, made through the host's own flows.

Infusion pumps (serial) are built from a PCB assembly (serial; itself built from
lot-tracked capacitors and a serial MCU), a lot-tracked battery pack and an
untracked housing. Capacitor lot CAP-L7 is the one a recall demo suspects.
"""
from .flow import HostFlow

PUMPS = 12
SHIPMENTS = [  # customer xmlid, pump numbers
    ("demo_partner_stmary", [1, 2, 3, 4]),
    ("demo_partner_cityclinic", [5, 6, 7, 9]),
    ("demo_partner_medsupply", [10, 11]),
]
RETURNED = ("demo_partner_stmary", 2)


def ref(env, name):
    return env.ref("serial_traceability." + name)


def make_bom(env, product, lines):
    """A one-level BOM of ``product`` from ``lines`` [(component, qty)]."""
    bom = env["mrp.bom"].create({
        "product_tmpl_id": product.product_tmpl_id.id,
        "product_id": product.id,
        "product_qty": 1,
    })
    for component, qty in lines:
        env["mrp.bom.line"].create(
            {"bom_id": bom.id, "product_id": component.id, "product_qty": qty})
    return bom


def load(env):
    """Stock, production, shipments and a return of the demo factory."""
    flow = HostFlow(env)
    cap, mcu = ref(env, "demo_product_capacitor"), ref(env, "demo_product_mcu")
    bat, hsg = ref(env, "demo_product_battery"), ref(env, "demo_product_housing")
    pcb, pump = ref(env, "demo_product_pcb"), ref(env, "demo_product_pump")
    pcb_bom = make_bom(env, pcb, [(cap, 2), (mcu, 1)])
    pump_bom = make_bom(env, pump, [(pcb, 1), (bat, 1), (hsg, 1)])

    nordic, voltcell = ref(env, "demo_partner_nordic"), ref(env, "demo_partner_voltcell")
    flow._receive(nordic, [(cap, 100, "CAP-L1"), (cap, 100, "CAP-L7")]
                  + [(mcu, 1, "MCU-%04d" % i) for i in range(1, PUMPS + 1)])
    flow._receive(voltcell, [(bat, 10, "BAT-2026A"), (bat, 10, "BAT-2026B"),
                             (hsg, 20, None)])
    # The supplier's own lot numbers, as printed on their boxes.
    flow._lot(cap, "CAP-L1").vendor_lot = "NC-7781-A"
    flow._lot(cap, "CAP-L7").vendor_lot = "NC-7790-C"

    half = PUMPS // 2
    pcb_mo = flow._start_production(pcb, PUMPS, pcb_bom)
    for i in range(1, PUMPS + 1):
        cap_lot = "CAP-L1" if i <= half else "CAP-L7"
        flow._produce(pcb_mo, 1, "PCB-%04d" % i,
                      [(cap, 2, cap_lot), (mcu, 1, "MCU-%04d" % i)])
    flow._finish(pcb_mo)

    pump_mos = []
    for first in (1, half + 1):  # two pump MOs, one per battery lot
        pump_mo = flow._start_production(pump, half, pump_bom)
        pump_mos.append(pump_mo)
        battery = "BAT-2026A" if first == 1 else "BAT-2026B"
        for i in range(first, first + half):
            flow._produce(pump_mo, 1, "PUMP-%04d" % i,
                          [(pcb, 1, "PCB-%04d" % i), (bat, 1, battery)])
        flow._finish(pump_mo)

    # the pump requires release: tested and released before it ships (demo/release.py)
    from . import release
    release.load(env, flow, pump_mos)

    deliveries = {}
    for partner_ref, numbers in SHIPMENTS:
        partner = ref(env, partner_ref)
        deliveries[partner_ref] = flow._deliver(
            partner, [(pump, 1, "PUMP-%04d" % n) for n in numbers])
    partner_ref, number = RETURNED
    flow._return(deliveries[partner_ref], [(pump, 1, flow._lot(pump, "PUMP-%04d" % number))])
    return flow

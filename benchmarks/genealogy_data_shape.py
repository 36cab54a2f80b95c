# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shape of the generated factory (products, BOMs, levels, timing, scales):
read by ``genealogy_data.py`` and its parts, and by the benchmarks."""
import collections

COMPONENTS = collections.OrderedDict([
    # key: (name, tracking)
    ("cap", ("Capacitor 47uF", "lot")),
    ("mcu", ("MCU board", "serial")),
    ("bat", ("Battery pack", "lot")),
    ("hsg", ("Housing", "none")),
    ("pcb", ("PCB assembly", "serial")),
    ("mod", ("Pump module", "serial")),
    ("pump", ("Infusion pump", "serial")),
])
LEVELS = ("pcb", "mod", "pump")  # built in this order; pump is the finished unit
BOMS = {
    "pcb": [("cap", 2), ("mcu", 1)],
    "mod": [("pcb", 1), ("bat", 1), ("hsg", 1)],
    "pump": [("mod", 1)],
}
# Lots made per unit, in this order: a unit's lot id is lot0 + 4 * (i - i0) + index.
UNIT_LOTS = ("mcu", "pcb", "mod", "pump")
LEVEL_TAG = {"pcb": "B", "mod": "M", "pump": "F"}  # in MO names
LEVEL_OFFSET = {"pcb": 0, "mod": 86400, "pump": 2 * 86400}  # seconds after a PCB MO
MO_STEP = 7200  # seconds between two MOs of one level
UNIT_STEP = 10  # seconds between two units produced in one MO

# Columns the addon adds that a row owes to the flow that wrote it rather than to
# later events: copied from the template like host columns (a lot belongs to the
# company it was made in; left NULL, the addon's install backfill would fill it
# lot by lot on every update).
ADDON_COPIED = {("stock_production_lot", "company_id")}

SCALES = {
    # units: finished serials; per_mo: units per MO; block: units per delivery
    "tiny": dict(units=40, per_mo=5, block=5, customers=3, return_every=20,
                 reship_every=40, batch_units=40),
    "quick": dict(units=20000, per_mo=50, block=25, customers=300, return_every=400,
                  reship_every=800, batch_units=10000),
    "full": dict(units=200000, per_mo=50, block=25, customers=300, return_every=400,
                 reship_every=800, batch_units=10000),
}


def _unit_lot(kind, i="g.i"):
    return "(%%(lot0)s + 4 * (%s - %%(i0)s) + %d)" % (i, UNIT_LOTS.index(kind))

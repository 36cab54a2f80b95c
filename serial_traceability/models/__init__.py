from . import serial_flow
from . import serial_genealogy
from . import stock_production_lot
from . import mrp_unbuild
from . import demo_scenario
from . import mrp_production
from . import stock_picking
from . import stock_traceability_report

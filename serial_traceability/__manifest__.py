# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Serial Traceability",
    "summary": "Serial and lot genealogy, unit history, recalls and audit trail "
               "for manufacturers",
    "version": "11.0.1.0.0",
    "category": "Warehouse",
    "website": "https://example.com/serial_traceability",
    "author": "serial_traceability developers",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "depends": [
        "stock",
        "mrp",
        "barcodes",
    ],
    "external_dependencies": {
        "python": [],
    },
    "data": [
        "security/serial_traceability_security.xml",
        "security/ir.model.access.csv",
        "views/stock_production_lot_views.xml",
        "views/serial_genealogy_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/demo_scenario.xml",
    ],
    "post_init_hook": "post_init_hook",
}

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every statement that knows the host's schema (Odoo 11's stock and mrp tables),
as named constants or functions of their parameters. A port to another Odoo
rewrites this package and models/, nothing else. No odoo import: the statements
are text, tested host-free in sql/tests and on host-made rows in tests/."""

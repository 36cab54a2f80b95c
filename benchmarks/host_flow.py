# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The addon's flow driver on a database where the addon is not installed.

``serial.flow`` (receipts, produce-wizard runs, deliveries, returns) and the demo's
BOM maker call only the host's models: their methods are bound here to a plain
environment, so a host-only database gets its history through exactly the same
code as the benchmarks' other databases. Importing the addon's Python package does
not install it anywhere.
"""
from odoo.addons.serial_traceability.models.demo_scenario import SerialTraceabilityDemo
from odoo.addons.serial_traceability.models.serial_flow import SerialFlow


class _Bound(object):
    """Methods of an addon model class, called with ``self.env`` a host environment."""

    def __init__(self, env, cls):
        self.env = env
        self._cls = cls

    def __getattr__(self, name):
        member = getattr(self._cls, name)
        if not callable(member):
            raise AttributeError(name)
        return member.__get__(self, type(self))


def host_models(env):
    """``GenealogyData(models=...)`` for a database without the addon."""
    return {"serial.flow": _Bound(env, SerialFlow),
            "serial.traceability.demo": _Bound(env, SerialTraceabilityDemo)}

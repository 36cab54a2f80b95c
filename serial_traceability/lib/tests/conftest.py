"""Plain pytest for the host-free library.

The addon package's ``__init__`` imports odoo; registering a bare package object lets
``serial_traceability.lib`` be imported without it, which also proves lib/ needs no host.
"""
import os
import sys
import types

_ADDON = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if "serial_traceability" not in sys.modules:
    _pkg = types.ModuleType("serial_traceability")
    _pkg.__path__ = [_ADDON]
    sys.modules["serial_traceability"] = _pkg


def pytest_sessionfinish(session, exitstatus):
    assert "odoo" not in sys.modules, "serial_traceability.lib must not import odoo"

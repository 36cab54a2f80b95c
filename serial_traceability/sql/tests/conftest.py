"""The host-free set-up of lib/tests applies here too: sql/ builds statements as text
and imports no host, so its tests run without Odoo."""
import importlib.util
import os

_SPEC = importlib.util.spec_from_file_location("serial_traceability_hostfree", os.path.join(
    os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "lib", "tests",
    "conftest.py"))
_HOSTFREE = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_HOSTFREE)
pytest_sessionfinish = _HOSTFREE.pytest_sessionfinish

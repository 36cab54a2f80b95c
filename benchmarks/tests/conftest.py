"""Odoo tests of the benchmarks' own code, run by pytest-odoo beside the addon's.

pytest-odoo imports every test file as part of an addon (``odoo.addons.<name>``) and
fails on files outside one; these belong to no addon, so they are collected as plain
modules. Odoo is started by pytest-odoo all the same."""
import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_ignore_collect(collection_path):
    return False


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path, parent):
    return pytest.Module.from_parent(parent, path=module_path)

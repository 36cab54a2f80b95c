# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The demo factory (a medical-device maker) and the host-flow driver it is made with.

Loaded by the post-install hook only when the database takes demo data; the tests
and the benchmarks use ``flow.HostFlow`` and ``factory.make_bom`` too. Nothing here
is a model: production code never calls it."""
from . import factory, quality


def load(env):
    flow = factory.load(env)
    quality.load(env, flow)

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Window actions opened from a record, titled after it."""


def window_action(env, xmlid, name, **values):
    """The window action ``xmlid`` with ``values``, titled ``name``. The web client
    titles the screen and its breadcrumb with the action's ``display_name`` (which
    ``read()`` fills with the action's own name) before its ``name``: both are set."""
    action = env.ref(xmlid).read()[0]
    action.update(values, name=name, display_name=name)
    return action

"""The role Odoo connects as owns its database and nothing more: what would switch
every trigger off, or read the server's files, needs the administrator role.

Runs on the database `make test` installed (with the addon's append-only triggers).
"""
import configparser

import psycopg2
import pytest

from conftest import CONF, DB


@pytest.fixture
def odoo_cursor():
    parser = configparser.ConfigParser()
    parser.read(CONF)
    opt = dict(parser.items("options"))
    conn = psycopg2.connect(dbname=DB, host=opt["db_host"], port=opt["db_port"],
                            user=opt["db_user"])
    try:
        yield conn.cursor()
    finally:
        conn.rollback()
        conn.close()


def test_odoo_role_is_no_superuser(odoo_cursor):
    odoo_cursor.execute("SELECT rolsuper, rolcreatedb FROM pg_roles"
                        " WHERE rolname = current_user")
    assert odoo_cursor.fetchone() == (False, True)
    odoo_cursor.execute("SELECT pg_get_userbyid(datdba) = current_user FROM pg_database"
                        " WHERE datname = current_database()")
    assert odoo_cursor.fetchone() == (True,)


@pytest.mark.parametrize("statement", [
    # every trigger of the session off, the append-only ones included
    "SET session_replication_role = replica",
    # the system triggers too (foreign keys)
    "ALTER TABLE serial_audit_entry DISABLE TRIGGER ALL",
    "SELECT pg_read_file('/etc/hostname')",
    "COPY serial_audit_entry FROM '/etc/hostname'",
])
def test_what_needs_the_administrator(odoo_cursor, statement):
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        odoo_cursor.execute(statement)


def test_the_owner_can_still_disable_a_named_trigger(odoo_cursor):
    """What the table's owner keeps (the tests forge entries this way): the hash chain,
    not the role, is what shows such a rewrite (docs/audit-trail.md)."""
    odoo_cursor.execute(
        "ALTER TABLE serial_audit_entry DISABLE TRIGGER serial_audit_entry_no_change")

"""`make setup` from a clone in a private folder, as people clone: mode 700 under a
temporary folder, which the `postgres` account (the server's account when root runs
the setup) cannot enter. The clone reuses this venv through ST_VENV and gets a free
port of its own; its cluster is stopped and removed at the end.

The clone is of the committed HEAD: uncommitted changes to tools/ are not tested here.
"""
import configparser
import os
import shutil
import socket
import subprocess
import sys
import tempfile

import pytest

from conftest import ROOT


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _env(port):
    # Nothing of this checkout's settings may leak into the clone's (a shared
    # ST_STATE_DIR would point it at our own cluster).
    env = {k: v for k, v in os.environ.items() if not k.startswith("ST_")}
    env.update(ST_VENV=sys.prefix, ST_PG_PORT=str(port))
    return env


def _run(cmd, cwd, env, timeout=600):
    done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, timeout=timeout)
    assert done.returncode == 0, "%s failed:\n%s" % (" ".join(cmd), done.stdout[-3000:])
    return done.stdout


@pytest.fixture
def private_clone():
    parent = tempfile.mkdtemp(prefix="st-anywhere-")
    os.chmod(parent, 0o700)
    clone = os.path.join(parent, "checkout")
    env = _env(_free_port())
    subprocess.run(["git", "clone", "--quiet", ROOT, clone], check=True)
    try:
        yield clone, env
    finally:
        outside = os.path.realpath(os.path.join(clone, ".state", "pg"))
        subprocess.run(["make", "reset"], cwd=clone, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.STDOUT, timeout=120)
        shutil.rmtree(parent, ignore_errors=True)
        assert not os.path.exists(os.path.join(outside, "pgdata")), outside


def _conf(clone):
    parser = configparser.ConfigParser()
    parser.read(os.path.join(clone, ".state", "odoo.conf"))
    return dict(parser.items("options"))


def _sql(conf, query, user=None):
    return subprocess.run(
        ["psql", "-h", conf["db_host"], "-p", conf["db_port"], "-U", user or conf["db_user"],
         "-d", "postgres", "-qtAc", query],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
        check=True).stdout.strip()


def test_make_setup_in_a_private_folder(private_clone):
    clone, env = private_clone
    _run(["make", "setup"], clone, env)
    conf = _conf(clone)

    # PostgreSQL answers, as Odoo's role, which may create databases but is no superuser.
    assert _sql(conf, "SELECT rolsuper, rolcreatedb FROM pg_roles"
                      " WHERE rolname = current_user") == "f|t"
    if os.geteuid() == 0:
        # the cluster had to live where `postgres` can reach it, outside the checkout
        assert os.path.islink(os.path.join(clone, ".state", "pg"))
        assert not conf["db_host"].startswith(clone + os.sep), conf["db_host"]

    # Deployment defaults: loopback, no database manager, a generated master password.
    assert conf["http_interface"] == "127.0.0.1"
    assert conf["list_db"] == "False"
    secret = os.path.join(clone, ".state", "master-password")
    assert os.stat(secret).st_mode & 0o077 == 0
    with open(secret) as handle:
        password = handle.read().strip()
    assert len(password) >= 16 and password != "admin"
    assert conf["admin_passwd"].startswith("$pbkdf2-sha512$")
    assert password not in conf["admin_passwd"]

    # A cluster made by an older checkout, where Odoo's role was a superuser: the next
    # setup takes the right back, and a second run changes nothing.
    _sql(conf, "ALTER ROLE odoo SUPERUSER", user="postgres")
    _run(["make", "setup"], clone, env)
    _run(["make", "setup"], clone, env)
    assert _sql(conf, "SELECT rolsuper FROM pg_roles WHERE rolname = 'odoo'") == "f"
    assert _conf(clone)["db_host"] == conf["db_host"]

"""Browser tests: a real Odoo server on the test port, driven by headless Chromium.

`make test` installs the addon with its demo in $ST_TEST_DB before these run.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORT = int(os.environ.get("ST_TEST_HTTP_PORT", "18069"))
DB = os.environ.get("ST_TEST_DB", "st_test")
CONF = os.environ.get("ST_ODOO_CONF", os.path.join(ROOT, ".state", "odoo.conf"))
BASE_URL = "http://localhost:%d" % PORT


def _wait_for(url, proc, seconds=90):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("Odoo exited with %s before serving %s" % (proc.returncode, url))
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:
            time.sleep(1)
    raise RuntimeError("Odoo did not serve %s within %d s" % (url, seconds))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failed browser test, keep what the user saw: a screenshot in
    .state/test-results, any dialog's text and the server log's tail in the report."""
    outcome = yield
    report = outcome.get_result()
    driver = item.funcargs.get("browser")
    if report.when != "call" or not report.failed or driver is None:
        return
    results = os.path.join(ROOT, ".state", "test-results")
    os.makedirs(results, exist_ok=True)
    try:
        driver.save_screenshot(os.path.join(results, item.name + ".png"))
        dialogs = driver.execute_script(
            "return Array.from(document.querySelectorAll('.modal-dialog, .o_notification'))"
            ".map(function (d) { return d.innerText; }).join('\\n---\\n');")
        report.sections.append(("browser", "url: %s\ndialogs:\n%s"
                                % (driver.current_url, dialogs or "(none)")))
    except Exception as error:  # the browser itself may be what failed
        report.sections.append(("browser", "no browser state: %r" % error))
    with open(os.path.join(ROOT, ".state", "e2e-odoo.log")) as log:
        report.sections.append(("odoo log (tail)", "".join(log.readlines()[-40:])))


@pytest.fixture(scope="session")
def odoo_server():
    log = open(os.path.join(ROOT, ".state", "e2e-odoo.log"), "w")
    proc = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "tools", "odoo"), "-c", CONF, "-d", DB,
         "--db-filter=^%s$" % DB, "--http-interface=127.0.0.1", "--http-port=%d" % PORT,
         "--max-cron-threads=0",
         "--log-level=warn"], stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for(BASE_URL + "/web/login", proc)
        yield BASE_URL
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            # a long-polling request can keep the worker alive past terminate()
            proc.kill()
            proc.wait(30)
        log.close()


@pytest.fixture
def browser(odoo_server):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="st-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1400,1000",
                 "--user-data-dir=" + profile):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"),
                              options=options)
    driver.implicitly_wait(10)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)

# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reading the PDFs the reports print, as a person or a scanner would."""
import base64
import contextlib
import glob
import os
import subprocess
import tempfile
from xml.etree import ElementTree

from odoo.tools import config

ZBAR_NS = "{http://zbar.sourceforge.net/2008/barcode}"


@contextlib.contextmanager
def real_pdf(workdir):
    """Reports render real PDFs: in tests the host renders HTML unless it has a
    report directory."""
    saved = config["test_report_directory"]
    config["test_report_directory"] = workdir
    try:
        yield
    finally:
        config["test_report_directory"] = saved


def scan_barcodes(content, workdir):
    """[(symbology, is_gs1, data)] of every barcode zbarimg finds on the pages of the
    PDF ``content``, rendered at 300 dpi."""
    pages_dir = tempfile.mkdtemp(dir=workdir)
    path = os.path.join(pages_dir, "printed.pdf")
    with open(path, "wb") as out:
        out.write(content)
    subprocess.check_call(["pdftoppm", "-r", "300", "-png", path,
                           os.path.join(pages_dir, "page")])
    found = []
    for page in sorted(glob.glob(os.path.join(pages_dir, "page-*.png"))):
        result = subprocess.run(["zbarimg", "-q", "--xml", page],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        for symbol in ElementTree.fromstring(result.stdout).iter(ZBAR_NS + "symbol"):
            data = symbol.find(ZBAR_NS + "data")
            text = data.text.strip()
            if data.get("format") == "base64":
                text = base64.b64decode(text).decode("latin-1")
            # modifiers='GS1': the symbol starts with FNC1 (a scanner sends ]C1)
            found.append((symbol.get("type"), "GS1" in (symbol.get("modifiers") or ""),
                          text))
    return found

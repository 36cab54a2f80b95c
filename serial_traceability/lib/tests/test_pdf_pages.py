# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io
import subprocess

from reportlab.pdfgen import canvas

from serial_traceability.lib import pdf_pages

MARK = "https://example.invalid/unit/"


def _pdf(pages):
    """A PDF of ``pages`` pages; a page given a name starts with a link to MARK+name."""
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=(595, 842))
    for name in pages:
        sheet.drawString(72, 760, "Body of a page")
        if name:
            sheet.linkURL(MARK + name, (72, 700, 200, 720))
        sheet.showPage()
    sheet.save()
    return out.getvalue()


def _text(content):
    proc = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content,
                          stdout=subprocess.PIPE, check=True)
    return proc.stdout.decode().split("\f")


def test_one_untitled_section_numbers_every_page():
    pages = _text(pdf_pages.number_pages(_pdf([None, None, None])))
    assert "Page 1 of 3" in pages[0] and "Page 3 of 3" in pages[2]


def test_sections_are_numbered_apart_and_their_marks_removed():
    content = _pdf(["U1", None, "U2"])

    def sections(pages):
        return [(index, name) for index, page in enumerate(pages)
                for name in pdf_pages.link_marks(page, MARK)]
    stamped = pdf_pages.number_pages(content, sections)
    pages = _text(stamped)
    assert "U1 - Page 1 of 2" in pages[0]
    assert "U1 - Page 2 of 2" in pages[1]
    assert "U2 - Page 1 of 1" in pages[2]
    assert MARK.encode() not in stamped

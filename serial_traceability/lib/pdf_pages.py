# Copyright 2026 serial_traceability developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
""""<title> - Page n of m" stamped on a finished PDF.

Debian's wkhtmltopdf (unpatched Qt) draws no header or footer HTML, so the reports
that need page numbers (device history record, recall) stamp them afterwards. The
text is one more content stream on each page (the page's own streams wrapped in
q/Q), not PyPDF2's ``mergePage``: that re-parses every page's content and took 1 s
a page. A PDF may hold several sections (one unit's record each), numbered apart.
"""
import io


def link_marks(page, prefix):
    """The suffixes of the link annotations of ``page`` whose URI starts with
    ``prefix`` (in order); those annotations are removed from the page."""
    annots = page.get("/Annots")
    if annots is None:
        return []
    annots = annots.getObject()
    found, kept = [], []
    for annot in annots:
        uri = annot.getObject().get("/A", {}).get("/URI") or ""
        if uri.startswith(prefix):
            found.append(uri[len(prefix):].strip("/"))
        else:
            kept.append(annot)
    if found:
        from PyPDF2.generic import ArrayObject, NameObject
        page[NameObject("/Annots")] = ArrayObject(kept)
    return found


def _pdf_text(text):
    """``text`` as a PDF literal string in WinAnsi (what Helvetica is set to)."""
    data = text.encode("cp1252", "replace")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(
        b")", b"\\)") + b")"


def number_pages(content, sections=None):
    """``content`` (PDF bytes) with "<title> - Page n of m" at the foot of every page.

    ``sections(pages)`` gets the PyPDF2 pages and returns ``[(first page index,
    title or None)]`` in order, the first at 0; n and m count within a section.
    Without it the whole document is one untitled section."""
    from PyPDF2 import PdfFileReader, PdfFileWriter
    from PyPDF2.generic import (ArrayObject, DecodedStreamObject, DictionaryObject,
                                NameObject)
    from reportlab.pdfbase.pdfmetrics import stringWidth

    reader = PdfFileReader(io.BytesIO(content), strict=False)
    pages = [reader.getPage(index) for index in range(reader.getNumPages())]
    starts = sections(pages) if sections else []
    if not starts or starts[0][0] != 0:
        starts.insert(0, (0, None))
    writer = PdfFileWriter()

    def add_stream(data):
        stream = DecodedStreamObject()
        stream.setData(data)
        return writer._addObject(stream)

    font = writer._addObject(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding")}))
    push = add_stream(b"q\n")
    for number, (first, title) in enumerate(starts):
        last = starts[number + 1][0] if number + 1 < len(starts) else len(pages)
        for index in range(first, last):
            page = pages[index]
            label = "Page %d of %d" % (index - first + 1, last - first)
            if title:
                label = "%s - %s" % (title, label)
            x = float(page.mediaBox.getUpperRight_x()) - 28 - stringWidth(
                label, "Helvetica", 8)
            y = float(page.mediaBox.getLowerLeft_y()) + 16
            stamp = add_stream(b"\nQ q BT /STPageNumber 8 Tf 0 g %.2f %.2f Td %s Tj ET Q\n"
                               % (x, y, _pdf_text(label)))
            contents = page["/Contents"].getObject()
            if not isinstance(contents, ArrayObject):
                contents = ArrayObject([page.raw_get("/Contents")])
            page[NameObject("/Contents")] = ArrayObject([push] + list(contents) + [stamp])
            resources = page["/Resources"].getObject()
            fonts = resources.get("/Font")
            fonts = fonts.getObject() if fonts is not None else DictionaryObject()
            fonts[NameObject("/STPageNumber")] = font
            resources[NameObject("/Font")] = fonts
            writer.addPage(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

"""What goes into a unit label's barcode, and the barcode itself as SVG.

Standard library plus python-barcode 0.15.1, no Odoo, so plain pytest can test it.

What python-barcode's ``gs1_128`` really does (read in barcode/codex.py, checked by
decoding the codewords in lib/tests/test_serial_label.py and by zbarimg on printed
labels in tests/test_labels.py):

* ``Gs1_128(code)`` prepends ``"\\xf1"``, which its Code 128 tables map to FNC1
  (codeword 102) in every code set, so the symbol starts START, FNC1: the GS1-128
  marker a scanner reports as ``]C1`` (zbarimg: ``modifiers='GS1'``), not as data.
* A GS character (ASCII 29) in the data is *not* FNC1: it is encoded as the data
  character GS in code set A. Scanners transmit both as GS, but a verifier rejects the
  symbol. So a separator inside the element string must be passed as ``"\\xf1"``;
  ``gs1_symbol_data`` does that, and the decoded text then has GS where FNC1 was.
* Human-readable text from python-barcode would show ``get_fullcode()``: the raw data,
  without parentheses. Labels print the ``(01)...(21)...`` form themselves, so the
  writer's text is switched off.

Element order: fixed-length AIs ((01), (11), (17)) before the variable-length one ((10) or
(21)), so the string never needs a separator and stays as short as possible.

Size: the width of a symbol is fixed by its module count; ``render_svg`` picks the
module width so the symbol with its quiet zones (10 modules each side, as GS1 asks)
fills the width given (the label draws it at that share of the page width), with
modules of at most ``MAX_MODULE_MM``. Below ``MIN_MODULE_MM`` the bars are thinner than
a 203 dpi thermal printer's dot pair and scanners start to fail (measured: zbarimg on a
300 dpi raster fails under ~2 pixels per module), so ``render_svg`` reports it and the
label says so rather than printing an unreadable code.
"""
import datetime
import io
from collections import namedtuple
from xml.dom import minidom

import barcode
from barcode.errors import BarcodeError
from barcode.writer import SVGWriter

from . import gs1

FNC1 = "\xf1"
QUIET_MODULES = 10
MAX_MODULE_MM = 0.5
MIN_MODULE_MM = 0.17
PX_PER_MM = 96 / 25.4  # SVG user units: CSS pixels

Content = namedtuple("Content", "kind data hri note")
"""kind: "gs1-128", "code128" or "none"; data: what a scanner sends (GS for FNC1);
hri: the human-readable line; note: why the label is not GS1 (or "")."""

Symbol = namedtuple("Symbol", "svg width_mm height_mm module_mm modules readable")


def label_elements(gtin, tracking, name, expiry=None, production=None):
    """[(ai, value)] for a unit's GS1 label: (01), (11) production date and (17) expiry
    when known, then (21) or (10)."""
    elements = [("01", gs1.normalize_gtin(gtin))]
    for ai, date in (("11", production), ("17", expiry)):
        if date:
            if not isinstance(date, datetime.date):
                raise TypeError("(%s) needs a datetime.date, not %s" % (ai, type(date).__name__))
            elements.append((ai, date))
    elements.append(("21" if tracking == "serial" else "10", name))
    return elements


def barcode_content(gtin, tracking, name, expiry=None, production=None):
    """The ``Content`` of a unit's label: GS1-128 when the product has a valid GTIN and
    the number fits GS1 rules, else Code 128 of the number itself."""
    if not isinstance(name, str) or not name:
        raise ValueError("A label needs the lot/serial number")
    note = ""
    if gtin and gs1.is_valid_gtin(gtin):
        try:
            elements = label_elements(gtin, tracking, name, expiry, production)
            return Content("gs1-128", gs1.build_element_string(elements),
                           gs1.build_element_string(elements, human_readable=True), "")
        except gs1.GS1Error as exc:
            note = str(exc)
    elif gtin:
        note = "The product barcode %s is not a valid GTIN" % gtin
    try:
        barcode.get("code128", name)
    except BarcodeError:
        return Content("none", name, name, note or "%r cannot be drawn in Code 128" % name)
    return Content("code128", name, name, note)


def gs1_symbol_data(element_string):
    """python-barcode input for a GS1 element string: every GS becomes FNC1."""
    return element_string.replace(gs1.GS, FNC1)


def _symbol(content):
    if content.kind == "gs1-128":
        return barcode.get("gs1_128", gs1_symbol_data(content.data), writer=SVGWriter())
    if content.kind == "code128":
        return barcode.get("code128", content.data, writer=SVGWriter())
    raise ValueError("There is no barcode to draw for %r" % (content.data,))


def codewords(content):
    """The Code 128 codewords python-barcode will draw (start code first, no checksum)."""
    return list(_symbol(content).encoded)


def render_svg(content, width_mm, height_mm):
    """Draw ``content`` as an SVG at most ``width_mm`` wide and exactly ``height_mm`` high."""
    if width_mm <= 0 or height_mm <= 0:
        raise ValueError("The barcode needs a positive size")
    symbol = _symbol(content)
    modules = len(symbol.build()[0])
    module_mm = min(MAX_MODULE_MM, width_mm / float(modules + 2 * QUIET_MODULES))
    # python-barcode writes sizes with 3 decimals: round so what it draws adds up
    module_mm = int(module_mm * 1000) / 1000.0
    out = io.BytesIO()
    symbol.write(out, options={
        "module_width": module_mm,
        "module_height": height_mm,
        "quiet_zone": QUIET_MODULES * module_mm,
        "margin_top": 0,
        "margin_bottom": 0,
        "write_text": False,
        "font_size": 0,
        "text": "",
    })
    width = (modules + 2 * QUIET_MODULES) * module_mm
    return Symbol(_scalable(out.getvalue(), width, height_mm), width, height_mm, module_mm,
                  modules, module_mm >= MIN_MODULE_MM)


def _scalable(svg, width_mm, height_mm):
    """Give python-barcode's SVG a viewBox, so it can be drawn at a size relative to the
    page: Debian's wkhtmltopdf (unpatched Qt) prints CSS lengths 1.3 times smaller than
    they are, percentages of the page come out right."""
    document = minidom.parseString(svg)
    root = document.documentElement
    root.setAttribute("viewBox", "0 0 %.3f %.3f" % (width_mm * PX_PER_MM, height_mm * PX_PER_MM))
    root.setAttribute("preserveAspectRatio", "none")
    return document.toxml(encoding="utf-8")

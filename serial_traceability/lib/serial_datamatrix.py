"""GS1 DataMatrix (ECC 200) for unit labels, drawn as SVG.

Standard library plus treepoem 3.19.0 (the last release for Python 3.7), no Odoo, so
plain pytest can test it. python-barcode has no DataMatrix; treepoem bundles BWIPP
(Barcode Writer in Pure PostScript), which encodes ``gs1datamatrix`` from the
human-readable form ``(01)...(21)...``: FNC1 as the first codeword (scanners report
``]d2``) and FNC1 after every variable-length field that is not last, which a decoder
transmits as GS (ASCII 29), so the decoded text is our ``gs1.build_element_string``.

We do not use ``treepoem.generate_barcode``: it returns a raster (EPS rendered at
72 dpi by Pillow). We run BWIPP's encoder with ``dontdraw`` in ghostscript
(Debian package ``ghostscript``) and read the module matrix it computes, one run for
all labels of a print, then draw each dark module as an SVG rectangle, so the symbol
scales without blur like the GS1-128 SVG of ``serial_label``.

A label without a GS1 element string (no valid GTIN, number outside GS1 rules) gets a
plain ECC 200 DataMatrix of the number, as the GS1-128 label falls back to Code 128.
"""
import codecs
import subprocess
from collections import namedtuple

import treepoem

QUIET_MODULES = 1  # ISO/IEC 16022: one module of quiet zone on every side
MAX_MODULE_MM = 1.0
MIN_MODULE_MM = 0.254  # GS1 General Specifications, healthcare, smallest X
PX_PER_MM = 96 / 25.4

Symbol = namedtuple("Symbol", "svg width_mm height_mm module_mm modules readable")

# On a BWIPP error, print it and stop (BWIPP wiki: "Developing a frontend to BWIPP").
_ERROR_HANDLER = """%!PS
errordict begin
/handleerror {
  $error begin
  errorname dup length string cvs 0 6 getinterval (bwipp.) eq {
    (%stderr) (w) file
    dup (\\nBWIPP ERROR: ) writestring
    dup errorname dup length string cvs writestring
    dup ( ) writestring
    dup errorinfo dup length string cvs writestring
    dup (\\n) writestring
    dup flushfile end quit
  } if
  end //handleerror exec
} bind def
end
"""
_PRINT_MATRIX = ("dup /pixx get =only ( ) print dup /pixy get =only ( ) print "
                 "/pixs get { =only } forall (\\n) print flush\n")


class DataMatrixError(RuntimeError):
    """The symbol could not be encoded (message from BWIPP or ghostscript)."""


def _hex(text):
    return codecs.encode(text.encode("utf-8"), "hex_codec").decode("ascii")


def symbology(content):
    """BWIPP encoder for a ``serial_label.Content``."""
    if content.kind == "gs1-128":
        return "gs1datamatrix", content.hri
    if content.kind == "code128":
        return "datamatrix", content.data
    raise ValueError("There is no barcode to draw for %r" % (content.data,))


def matrices(contents):
    """[rows of 0/1, top row first] for each content, encoded in one ghostscript run."""
    if not contents:
        return []
    program = [_ERROR_HANDLER, treepoem.BWIPP]
    for content in contents:
        encoder, data = symbology(content)
        program.append("<%s> <%s> <%s> cvn /uk.co.terryburton.bwipp findresource exec\n"
                       % (_hex(data), _hex("dontdraw"), _hex(encoder)))
        program.append(_PRINT_MATRIX)
    try:
        run = subprocess.run(["gs", "-q", "-dNODISPLAY", "-dBATCH", "-dNOPAUSE", "-dSAFER",
                              "-"], input="".join(program).encode("utf-8"),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    except OSError as exc:
        raise DataMatrixError("Ghostscript (gs) is needed to draw DataMatrix labels: %s"
                              % exc) from None
    error = run.stderr.decode("utf-8", "replace").strip()
    lines = run.stdout.decode("ascii", "replace").split()
    if run.returncode or "BWIPP ERROR" in error or len(lines) != 3 * len(contents):
        raise DataMatrixError("The DataMatrix could not be encoded: %s"
                              % (error.replace("BWIPP ERROR: ", "") or "no output"))
    result = []
    for index in range(len(contents)):
        width, height, bits = lines[3 * index:3 * index + 3]
        width, height = int(width), int(height)
        if len(bits) != width * height:
            raise DataMatrixError("The DataMatrix encoder gave a broken matrix")
        result.append([[int(b) for b in bits[row * width:(row + 1) * width]]
                       for row in range(height)])
    return result


def render_svg(matrix, width_mm, height_mm):
    """Draw a module matrix as an SVG that fits in ``width_mm`` x ``height_mm``, square
    modules of at most ``MAX_MODULE_MM``, quiet zone included."""
    if width_mm <= 0 or height_mm <= 0:
        raise ValueError("The barcode needs a positive size")
    rows, columns = len(matrix), len(matrix[0])
    total_x, total_y = columns + 2 * QUIET_MODULES, rows + 2 * QUIET_MODULES
    module_mm = min(MAX_MODULE_MM, width_mm / float(total_x), height_mm / float(total_y))
    rects = []
    for y, row in enumerate(matrix):
        x = 0
        while x < columns:
            if row[x]:
                start = x
                while x < columns and row[x]:
                    x += 1
                rects.append('<rect x="%d" y="%d" width="%d" height="1"/>'
                             % (start + QUIET_MODULES, y + QUIET_MODULES, x - start))
            else:
                x += 1
    width, height = total_x * module_mm, total_y * module_mm
    svg = ('<?xml version="1.0" encoding="utf-8"?>'
           '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="%.3fmm" '
           'height="%.3fmm" viewBox="0 0 %d %d" shape-rendering="crispEdges">'
           '<rect x="0" y="0" width="%d" height="%d" fill="#fff"/><g fill="#000">%s</g>'
           '</svg>' % (width, height, total_x, total_y, total_x, total_y, "".join(rects)))
    return Symbol(svg.encode("utf-8"), width, height, module_mm, (columns, rows),
                  module_mm >= MIN_MODULE_MM)

"""GS1 DataMatrix of unit labels: the matrix BWIPP computes, drawn as pixels with
Pillow and read back with dmtxread (Debian dmtx-utils), independent of our SVG."""
import datetime
import os
import subprocess
import tempfile

import pytest
from PIL import Image

from serial_traceability.lib import serial_datamatrix as dm
from serial_traceability.lib import serial_label as sl

GTIN = "09506000134352"
GS = "\x1d"


def read(matrix):
    """(codewords, text) dmtxread finds in ``matrix``; -G 29 shows every FNC1 as GS."""
    scale, quiet = 6, 2
    image = Image.new("L", ((len(matrix[0]) + 2 * quiet) * scale,
                            (len(matrix) + 2 * quiet) * scale), 255)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                image.paste(0, ((x + quiet) * scale, (y + quiet) * scale,
                                (x + quiet + 1) * scale, (y + quiet + 1) * scale))
    handle, path = tempfile.mkstemp(suffix=".png")
    os.close(handle)
    try:
        image.save(path)
        text = subprocess.check_output(["dmtxread", "-G", "29", path]).decode("latin-1")
        words = subprocess.check_output(["dmtxread", "-c", path]).decode().split()
    finally:
        os.unlink(path)
    return [int(w[2:]) for w in words if w.startswith("d:")], text


def test_gs1_datamatrix_starts_with_fnc1_and_decodes_to_the_element_string():
    content = sl.barcode_content(GTIN, "serial", "PUMP-0007", datetime.date(2028, 1, 31),
                                 datetime.date(2026, 12, 1))
    assert content.hri == "(01)09506000134352(11)261201(17)280131(21)PUMP-0007"
    words, text = read(dm.matrices([content])[0])
    assert words[0] == 232  # FNC1 first: GS1 DataMatrix, a scanner sends ]d2
    assert text == GS + content.data


def test_separator_after_a_variable_field_is_fnc1():
    data = GTIN.join(("01", "10ABC" + GS + "21X7"))
    content = sl.Content("gs1-128", data, "(01)%s(10)ABC(21)X7" % GTIN, "")
    words, text = read(dm.matrices([content])[0])
    assert words.count(232) == 2
    assert text == GS + data


def test_without_gtin_a_plain_datamatrix_of_the_number():
    content = sl.barcode_content(False, "serial", "BR/0001")
    assert content.kind == "code128"
    words, text = read(dm.matrices([content])[0])
    assert words[0] != 232
    assert text == "BR/0001"


def test_one_run_for_many_labels_keeps_their_order():
    contents = [sl.barcode_content(GTIN, "serial", "SN-%d" % i) for i in range(5)]
    texts = [read(matrix)[1] for matrix in dm.matrices(contents)]
    assert texts == [GS + c.data for c in contents]
    assert dm.matrices([]) == []


def test_svg_has_square_modules_in_the_box_and_says_when_too_small():
    matrix = dm.matrices([sl.barcode_content(GTIN, "serial", "PUMP-0007")])[0]
    symbol = dm.render_svg(matrix, 21.0, 21.0)
    assert symbol.modules == (len(matrix[0]), len(matrix))
    assert symbol.width_mm <= 21.0 and symbol.height_mm <= 21.0
    assert symbol.module_mm == pytest.approx(min(dm.MAX_MODULE_MM, 21.0 / (len(matrix) + 2)))
    assert symbol.readable
    assert symbol.svg.count(b"<rect") == 1 + sum(
        1 for row in matrix for x, dark in enumerate(row) if dark and (x == 0 or not row[x - 1]))
    assert not dm.render_svg(matrix, 5.0, 5.0).readable
    with pytest.raises(ValueError):
        dm.render_svg(matrix, 0, 10)


def test_nothing_to_draw_is_refused():
    with pytest.raises(ValueError):
        dm.matrices([sl.Content("none", "x", "x", "no")])


def test_without_ghostscript_the_error_says_so(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(dm.DataMatrixError, match="Ghostscript"):
        dm.matrices([sl.barcode_content(GTIN, "serial", "PUMP-0007")])

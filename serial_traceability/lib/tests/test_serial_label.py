import datetime
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serial_traceability.lib import gs1
from serial_traceability.lib import serial_label as sl

GTIN = "09506000134352"
# GS1 character set 82 minus the few characters that would need escaping in a regex
CSET82 = sorted(gs1.CSET82)


def decode(codewords):
    """Code 128 codewords (start code first, no checksum) -> (text, gs1).

    Written from the Code 128 tables, independent of python-barcode: FNC1 right after
    the start code marks GS1-128 (like ``]C1``), any later FNC1 is sent as GS.
    """
    start, words = codewords[0], codewords[1:]
    charset = {103: "A", 104: "B", 105: "C"}[start]
    out, is_gs1 = [], False
    for i, word in enumerate(words):
        if word == 102:
            if i == 0:
                is_gs1 = True
            else:
                out.append(gs1.GS)
        elif charset == "C":
            if word < 100:
                out.append("%02d" % word)
            else:
                charset = {100: "B", 101: "A"}[word]
        elif word in (99, 100, 101) and not (charset == "A" and word == 101) \
                and not (charset == "B" and word == 100):
            charset = {99: "C", 100: "B", 101: "A"}[word]
        elif word < 64:
            out.append(chr(word + 32))
        elif charset == "B" and word < 96:
            out.append(chr(word + 32))
        elif charset == "A" and word < 96:
            out.append(chr(word - 64))
        else:
            raise AssertionError("unexpected codeword %d in set %s" % (word, charset))
    return "".join(out), is_gs1


def test_serial_elements_and_hri():
    content = sl.barcode_content(GTIN, "serial", "PUMP-0001")
    assert content.kind == "gs1-128"
    assert content.data == "0109506000134352" + "21PUMP-0001"
    assert content.hri == "(01)09506000134352(21)PUMP-0001"


def test_lot_with_expiry_puts_fixed_length_first():
    content = sl.barcode_content(GTIN, "lot", "CAP-L7", datetime.date(2027, 5, 31))
    assert content.data == "0109506000134352" "17270531" "10CAP-L7"
    assert content.hri == "(01)09506000134352(17)270531(10)CAP-L7"
    assert gs1.GS not in content.data


def test_short_gtin_is_padded():
    content = sl.barcode_content("4006381333931", "lot", "L1")
    assert content.data == "0104006381333931" + "10L1"


def test_no_gtin_gives_code128_of_the_number():
    assert sl.barcode_content(False, "serial", "SN-1") == ("code128", "SN-1", "SN-1", "")


def test_bad_gtin_is_code128_with_a_reason():
    content = sl.barcode_content("12345678", "serial", "SN-1")
    assert content.kind == "code128"
    assert "not a valid GTIN" in content.note


def test_number_outside_gs1_rules_falls_back_to_code128():
    content = sl.barcode_content(GTIN, "serial", "S#1")
    assert content.kind == "code128" and content.data == "S#1"
    assert "(21)" in content.note
    content = sl.barcode_content(GTIN, "serial", "X" * 21)
    assert content.kind == "code128" and "at most 20" in content.note


def test_number_code128_cannot_draw():
    content = sl.barcode_content(False, "serial", "Seri\u00e9")
    assert content.kind == "none"


def test_python_barcode_gs1_starts_with_fnc1_and_decodes_exactly():
    content = sl.barcode_content(GTIN, "serial", "PUMP-0001")
    words = sl.codewords(content)
    assert words[1] == 102
    assert decode(words) == (content.data, True)


def test_gs_in_data_must_become_fnc1():
    """python-barcode draws a raw GS as the data character GS (code set A), which a
    verifier rejects; gs1_symbol_data turns it into FNC1 (codeword 102)."""
    element_string = gs1.build_element_string([("01", GTIN), ("10", "AB1"), ("21", "7")])
    raw = list(__import__("barcode").get("gs1_128", element_string).encoded)
    assert 102 not in raw[2:]
    fixed = sl.codewords(sl.Content("gs1-128", element_string, "", ""))
    assert 102 in fixed[2:]
    assert decode(fixed) == (element_string, True)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=CSET82, min_size=1, max_size=20),
       st.sampled_from(["serial", "lot"]),
       st.one_of(st.none(), st.dates(datetime.date(2000, 1, 1), datetime.date(2049, 12, 31))))
def test_every_gs1_label_decodes_to_its_element_string(name, tracking, expiry):
    content = sl.barcode_content(GTIN, tracking, name, expiry)
    if content.kind != "gs1-128":
        # only values that contain an "(NN)" AI cannot be written as HRI
        assert re.search(r"\(\d{2,4}\)", name)
        return
    assert decode(sl.codewords(content)) == (content.data, True)
    assert gs1.parse(content.data).elements == gs1.parse(content.hri).elements


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.ascii_letters + string.digits + "-/.", min_size=1,
               max_size=30))
def test_every_code128_label_decodes_to_the_number(name):
    content = sl.barcode_content(False, "serial", name)
    assert decode(sl.codewords(content)) == (name, False)


@pytest.mark.parametrize("width", [40.0, 96.0])
def test_svg_fits_the_width_and_says_when_too_dense(width):
    content = sl.barcode_content(GTIN, "serial", "ABCDEFGHIJKLMNOPQRST")
    symbol = sl.render_svg(content, width, 12)
    assert symbol.width_mm <= width
    assert symbol.module_mm <= sl.MAX_MODULE_MM
    svg = symbol.svg.decode()
    assert 'width="%.3fmm"' % symbol.width_mm in svg
    assert 'height="12.000mm"' in svg
    assert "<text" not in svg
    assert symbol.readable == (width == 96.0)


def test_short_code_is_not_blown_up():
    symbol = sl.render_svg(sl.barcode_content(False, "serial", "7"), 96, 10)
    assert symbol.module_mm == sl.MAX_MODULE_MM
    assert symbol.width_mm < 96


def test_size_must_be_positive():
    with pytest.raises(ValueError):
        sl.render_svg(sl.barcode_content(False, "serial", "7"), 0, 10)

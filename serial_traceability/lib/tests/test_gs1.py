"""Plain tests for the GS1 parser: every input form, every error, biip as a cross-check."""
import datetime
import re

import pytest

from serial_traceability.lib import gs1
from serial_traceability.lib.gs1 import GS, GS1Error, parse

GTIN = "09506000134352"  # GS1's own example GTIN, valid check digit 2
SSCC = "106141411234567897"  # GS1's example SSCC
GLN = "1234567890128"  # biip's example GLN


def elements(code):
    return list(parse(code).elements.items())


def error(code):
    with pytest.raises(GS1Error) as info:
        parse(code)
    return str(info.value)


# --- input forms -------------------------------------------------------------------------

def test_plain_element_string_with_gs_after_variable_field():
    code = "01" + GTIN + "10ABC" + GS + "217"
    assert elements(code) == [("01", GTIN), ("10", "ABC"), ("21", "7")]


def test_fixed_length_fields_need_no_separator():
    code = "01" + GTIN + "17251231" + "11240100" + "10LOT-1"
    result = parse(code)
    assert list(result.elements) == ["01", "17", "11", "10"]
    assert result.gtin == GTIN and result.lot == "LOT-1" and result.serial is None
    assert result.expiry_date == datetime.date(2025, 12, 31)
    assert result.production_date == datetime.date(2024, 1, 1)


def test_gs_after_fixed_length_ai_is_ignored():
    code = "01" + GTIN + GS + "17251231" + GS + "10ABC" + GS + "21XYZ"
    assert elements(code) == [("01", GTIN), ("17", "251231"), ("10", "ABC"), ("21", "XYZ")]


@pytest.mark.parametrize("prefix", ["]C1", "]d2", "]Q3", "]e0"])
def test_gs1_symbology_identifiers_are_stripped(prefix):
    code = prefix + "01" + GTIN + "21S/N:7"
    assert elements(code) == [("01", GTIN), ("21", "S/N:7")]
    assert gs1.looks_like_gs1(code)


@pytest.mark.parametrize("prefix", ["]C0", "]d1", "]Q1", "]E0", "]A0"])
def test_other_symbology_identifiers_are_not_gs1(prefix):
    code = prefix + "01" + GTIN
    assert "not a GS1 barcode" in error(code)
    assert not gs1.looks_like_gs1(code)


def test_human_readable_form():
    assert elements("(01)09506000134352(10)ABC(21)7") == [("01", GTIN), ("10", "ABC"),
                                                          ("21", "7")]
    # typed from the text under a label: spaces between AIs, and a "(" inside a lot
    assert elements("(01) 09506000134352 (10) A(B) (17) 250100") == [
        ("01", GTIN), ("10", "A(B)"), ("17", "250100")]
    assert elements("]C1(414)" + GLN) == [("414", GLN)]


def test_leading_and_trailing_gs_and_line_end_are_accepted():
    assert elements(GS + "01" + GTIN + "10ABC" + GS) == [("01", GTIN), ("10", "ABC")]
    assert elements("]d2" + GS + "01" + GTIN + "\r\n") == [("01", GTIN)]
    assert elements(GS + "(01)" + GTIN) == [("01", GTIN)]


def test_three_and_four_digit_ais_and_other_common_ais():
    code = ("00" + SSCC + "02" + GTIN + "2001" + "3103001250" + "3712" + GS + "305" + GS
            + "240ADD-1" + GS + "241CPN" + GS + "250SEC" + GS + "400PO1" + GS
            + "414" + GLN + "91" + "X" * 90 + GS + "99internal")
    assert elements(code) == [
        ("00", SSCC), ("02", GTIN), ("20", "01"), ("3103", "001250"), ("37", "12"), ("30", "5"),
        ("240", "ADD-1"), ("241", "CPN"), ("250", "SEC"), ("400", "PO1"), ("414", GLN),
        ("91", "X" * 90), ("99", "internal")]
    assert parse("00" + SSCC).sscc == SSCC


def test_ai_table_is_prefix_free():
    ais = list(gs1.AI_SPECS)
    assert not [(a, b) for a in ais for b in ais if a != b and b.startswith(a)]


# --- dates -------------------------------------------------------------------------------

@pytest.mark.parametrize("ai, raw, expected", [
    ("17", "250100", datetime.date(2025, 1, 31)),
    ("17", "240200", datetime.date(2024, 2, 29)),  # leap year
    ("17", "250200", datetime.date(2025, 2, 28)),
    ("15", "251100", datetime.date(2025, 11, 30)),
    ("16", "251200", datetime.date(2025, 12, 31)),
    ("11", "250100", datetime.date(2025, 1, 1)),
    ("13", "250200", datetime.date(2025, 2, 1)),
    ("11", "240229", datetime.date(2024, 2, 29)),
    ("12", "991231", datetime.date(1999, 12, 31)),  # > 50 years ahead: last century
])
def test_dates_including_day_00(ai, raw, expected):
    result = parse(ai + raw)
    assert result.elements[ai] == raw
    assert result.date(ai) == expected


@pytest.mark.parametrize("raw", ["231345", "231300", "230229", "250230", "250431", "000000"])
def test_invalid_dates(raw):
    assert error("17" + raw) == "Date %s in (17) is not a valid date" % raw


def test_century_window():
    today = datetime.date(2024, 6, 1)
    assert gs1._year(74, today) == 2074
    assert gs1._year(75, today) == 1975
    assert gs1._year(0, datetime.date(2095, 1, 1)) == 2100
    assert gs1._year(95, datetime.date(2001, 1, 1)) == 1995


def test_missing_dates_are_none():
    result = parse("01" + GTIN)
    assert result.expiry_date is None and result.production_date is None
    assert result.lot is None and result.sscc is None


# --- check digits ------------------------------------------------------------------------

@pytest.mark.parametrize("gtin", ["96385074", "036000291452", "4006381333931", GTIN])
def test_valid_gtins_of_every_length(gtin):
    assert gs1.is_valid_gtin(gtin)
    assert gs1.normalize_gtin(gtin) == gtin.zfill(14)
    assert gs1.gtin_check_digit(gtin.zfill(14)[:13]) == gtin[-1]


@pytest.mark.parametrize("gtin", ["96385075", "036000291453", "4006381333930", "09506000134353",
                                  "123", "0950600013435X", "", None, 9506000134352,
                                  "\u0660" * 14, "009506000134352"])
def test_invalid_gtins(gtin):
    assert not gs1.is_valid_gtin(gtin)


def test_normalize_gtin_refuses_non_gtins():
    with pytest.raises(GS1Error, match="8, 12, 13 or 14 digits"):
        gs1.normalize_gtin("12345")
    with pytest.raises(GS1Error):
        gs1.gtin_check_digit("12a")


def test_wrong_check_digits():
    assert error("01" + "09506000134353") == (
        "GTIN 09506000134353 has a wrong check digit (expected 2)")
    assert error("00" + SSCC[:-1] + "0") == "SSCC %s0 has a wrong check digit (expected 7)" % (
        SSCC[:-1])
    assert "GLN 1234567890120 has a wrong check digit (expected 8)" in error("4141234567890120")


# --- errors ------------------------------------------------------------------------------

@pytest.mark.parametrize("code, message", [
    ("011234", "Application identifier (01) needs 14 digits, got 4"),
    ("01" + GTIN + "172501", "Application identifier (17) needs 6 digits, got 4"),
    ("01" + GTIN + "172501" + GS + "10A", "Application identifier (17) needs 6 digits, got 4"),
    ("01" + GTIN + "17", "Application identifier (17) needs 6 digits, got 0"),
    ("(17)2501", "Application identifier (17) needs 6 digits, got 4"),
    ("(01)095060001343520", "Application identifier (01) needs 14 digits, got 15"),
    ("17ABCDEF", "Application identifier (17) needs 6 digits, got 'ABCDEF'"),
    ("3712A", "Application identifier (37) needs digits only, got '12A'"),
    ("10" + GS + "21A", "Application identifier (10) has no value"),
    ("01" + GTIN + "10", "Application identifier (10) has no value"),
    ("(10)(21)A", "Application identifier (10) has no value"),
])
def test_truncated_or_malformed_values(code, message):
    assert error(code) == message


@pytest.mark.parametrize("code, message", [
    ("01" + GTIN + "7003251231", "Unknown application identifier at '7003251231'"),
    ("3922", "Unknown application identifier at '3922'"),
    ("(7003)2512311200", "Unknown application identifier (7003)"),
    ("hello world", "Unknown application identifier at 'hello world'"),
    ("PUMP-0001", "Unknown application identifier at 'PUMP-0001'"),
    ("(01)" + GTIN + "x(10)A", "Application identifier (01) needs 14 digits, got 15"),
    ("(hello)", "Expected an application identifier in parentheses at '(hello)'"),
    ("(01", "Expected an application identifier in parentheses at '(01'"),
    ("", "The barcode is empty"),
    (" \r\n", "The barcode is empty"),
    (None, "The barcode is empty"),
    (GS + GS, "The barcode contains no GS1 data"),
    ("]C1", "The barcode contains no GS1 data"),
    ("10L\u00f6t", "The lot/batch number (10) contains characters not allowed in GS1 barcodes:"
                   " '\u00f6'"),
    ("21A B", "The serial number (21) contains characters not allowed in GS1 barcodes: ' '"),
    ("10A" + GS + "10B", "Application identifier (10) appears twice with different values"),
])
def test_unknown_ais_and_garbage(code, message):
    assert error(code) == message


def test_long_values_in_messages_are_shortened():
    message = error("10" + "A" * 5 + GS + "7003" + "B" * 40)
    assert message == "Unknown application identifier at '7003" + "B" * 20 + "\u2026'"


def test_same_ai_twice_with_same_value_is_accepted():
    assert elements("10A" + GS + "10A") == [("10", "A")]


def test_error_is_a_value_error():
    assert issubclass(GS1Error, ValueError)


# --- missing GS separators ---------------------------------------------------------------

def test_missing_gs_with_too_long_variable_field_is_refused():
    # lot "LOT123" + serial "SERIAL0000000001": a scanner dropped the GS in between
    message = error("01" + GTIN + "10LOT123" + "21SERIAL0000000001")
    assert message.startswith("The lot/batch number (10) can have at most 20 characters, got 24")
    assert "GS separators between fields seem to be missing" in message
    assert "ambiguous" in message
    assert "ambiguous" in error("3712345" + "10ABCDEF")  # 37 is at most 8 digits too


def test_variable_field_within_max_length_at_the_end_is_kept_as_is():
    # Indistinguishable from lot "ABC" + serial "123" without the GS; documented rule:
    # a variable field not ended by GS is the last one and keeps everything.
    assert elements("01" + GTIN + "10ABC21123") == [("01", GTIN), ("10", "ABC21123")]
    assert elements("10ABC17250101") == [("10", "ABC17250101")]
    # With the GS it is read the other way, as intended.
    assert elements("10ABC" + GS + "21123") == [("10", "ABC"), ("21", "123")]


def test_too_long_value_in_human_readable_form_does_not_blame_separators():
    message = error("(21)" + "A" * 21)
    assert message == ("The serial number (21) can have at most 20 characters, got 21 ('"
                       + "A" * 21 + "')")


# --- looks_like_gs1 ----------------------------------------------------------------------

@pytest.mark.parametrize("code", [
    "]C1anything", "]d2", "]Q3" + "10A", "]e00109506000134352", "ABC" + GS + "DEF",
    "(01)09506000134352", "(10)ABC", "(3103)001250", "0109506000134352",
    "010950600013435210LOT", "00" + SSCC, "02" + GTIN + "37" + "5", " (01)x\r\n",
    # a wrong check digit with more GS1 data after it: GS1, which parse refuses
    "010950600013435321PUMP-0003", "0109506000134353" + "17250101" + "10LOT",
])
def test_looks_like_gs1(code):
    assert gs1.looks_like_gs1(code)


@pytest.mark.parametrize("code", [
    "PUMP-0001", "12345", "0109506000134353", "0100000000000001", "9506000134352",
    "10ABC", "21SERIAL", "(A)", "()", "(1)", "]C0123", "", None, 12345, "01",
    # a long numeric serial that starts like a GTIN: what follows is not GS1
    "01095060001343535612", "0109506000134353" + "99",
])
def test_does_not_look_like_gs1(code):
    assert not gs1.looks_like_gs1(code)


def test_wrong_check_digit_reads_the_same_in_every_form():
    bad = GTIN[:-1] + str((int(GTIN[-1]) + 1) % 10)
    messages = set()
    for code in ("01" + bad + "21PUMP-0003", "]C101" + bad + "21PUMP-0003",
                 "(01)" + bad + "(21)PUMP-0003"):
        with pytest.raises(gs1.GS1Error) as caught:
            parse(code)
        messages.add(str(caught.value))
    assert messages == {"GTIN %s has a wrong check digit (expected %s)" % (bad, GTIN[-1])}


# --- build_element_string ----------------------------------------------------------------

def test_build_puts_gs_only_after_variable_fields_that_are_not_last():
    code = gs1.build_element_string([("01", GTIN), ("10", "ABC"), ("17", "250100"),
                                     ("37", "12"), ("21", "7")])
    assert code == "01" + GTIN + "10ABC" + GS + "17250100" + "3712" + GS + "217"
    assert parse(code).elements == {"01": GTIN, "10": "ABC", "17": "250100", "37": "12",
                                    "21": "7"}


def test_build_human_readable_and_dates():
    elements_ = {"01": GTIN, "17": datetime.date(2025, 12, 31), "21": 7}
    assert gs1.build_element_string(elements_, human_readable=True) == (
        "(01)09506000134352(17)251231(21)7")
    assert gs1.build_element_string(elements_) == "01" + GTIN + "17251231" + "217"


@pytest.mark.parametrize("pairs, message", [
    ([], "There is nothing to encode"),
    ([("7003", "1")], "Unknown application identifier (7003)"),
    ([("01", "09506000134353")], "GTIN 09506000134353 has a wrong check digit (expected 2)"),
    ([("10", "A" * 21)], "The lot/batch number (10) can have at most 20 characters, got 21"),
    ([("10", "")], "Application identifier (10) has no value"),
    ([("17", "251332")], "Date 251332 in (17) is not a valid date"),
    ([("21", "A"), ("21", "A")], "Application identifier (21) is given twice"),
    ([("21", "A" + GS)], "not allowed in GS1 barcodes: '\\x1d'"),
])
def test_build_refuses_invalid_data(pairs, message):
    with pytest.raises(GS1Error) as info:
        gs1.build_element_string(pairs)
    assert message in str(info.value)


def test_build_human_readable_refuses_values_that_would_read_back_differently():
    with pytest.raises(GS1Error, match="human-readable"):
        gs1.build_element_string([("10", "A(21)B")], human_readable=True)
    assert parse(gs1.build_element_string([("10", "A(21)B")])).lot == "A(21)B"


ROUND_TRIP = [
    [("01", GTIN), ("10", "ABC"), ("21", "7")],
    [("01", GTIN), ("11", "240100"), ("17", "250100"), ("10", "L-1/2"), ("21", "S" * 20)],
    [("00", SSCC), ("400", "PO-4711"), ("37", "12345678"), ("02", GTIN)],
    [("21", "(10)x"), ("91", "!\"%&'()*+,-./:;<=>?_"), ("3103", "001250"), ("414", GLN)],
]


@pytest.mark.parametrize("pairs", ROUND_TRIP)
def test_round_trip(pairs):
    for prefix in ("", "]C1", "]d2", GS):
        assert elements(prefix + gs1.build_element_string(pairs)) == pairs
    try:
        hri = gs1.build_element_string(pairs, human_readable=True)
    except GS1Error:
        assert any("(" in value for _, value in pairs)
    else:
        assert elements(hri) == pairs
        assert parse(hri).element_string(human_readable=True) == hri


# --- cross-check against biip 3.0.0 ------------------------------------------------------

biip = pytest.importorskip("biip")
from biip.gs1 import GS1Message  # noqa: E402

BIIP_CODES = [
    "01" + GTIN + "10ABC" + GS + "217",
    "01" + GTIN + "17251231" + "10LOT-1",
    "01" + GTIN + "17250100" + "15240200" + "21S/N:7",
    "00" + SSCC + "400PO1" + GS + "37" + "12",
    "02" + GTIN + "3103001250" + "20" + "01" + "11240101" + "91" + "X" * 40,
    "414" + GLN + "240ADD" + GS + "241CPN" + GS + "250SEC" + GS + "30" + "5",
    "10" + "ABC17250101",  # the documented ambiguous-but-accepted case: biip agrees
]


@pytest.mark.parametrize("code", BIIP_CODES)
def test_same_elements_as_biip(code):
    theirs = GS1Message.parse(code)
    ours = parse(code)
    assert [(e.ai.ai, e.value) for e in theirs.element_strings] == list(ours.elements.items())
    for element in theirs.element_strings:
        if element.date is not None and not (element.value.endswith("00")
                                             and element.ai.ai in ("11", "12", "13")):
            assert ours.date(element.ai.ai) == element.date
        if element.ai.ai == "01":
            assert element.gtin_error is None
    for prefix in ("]C1", "]d2", "]Q3", "]e0"):
        assert biip.parse(prefix + code).gs1_message.element_strings == theirs.element_strings
        assert parse(prefix + code) == ours
    hri = ours.element_string(human_readable=True)
    assert parse(hri) == ours
    if all(re.match(r"\w+$", value) for value in ours.elements.values()):
        # biip's parse_hri only reads \w characters, see test_where_we_differ_from_biip
        assert GS1Message.parse_hri(hri).element_strings == theirs.element_strings


def test_where_we_differ_from_biip():
    """The observations stated in the gs1 module docstring."""
    code = "01" + GTIN + GS + "10ABC"
    with pytest.raises(biip.ParseError, match="fixed length and should not end with a separator"):
        GS1Message.parse(code)
    assert parse(code).lot == "ABC"

    theirs = GS1Message.parse("11250100").element_strings[0].date
    assert theirs == datetime.date(2025, 1, 31)
    assert parse("11250100").production_date == datetime.date(2025, 1, 1)

    element = GS1Message.parse("0109506000134353").element_strings[0]
    assert "check digit" in element.gtin_error
    with pytest.raises(GS1Error):
        parse("0109506000134353")

    with pytest.raises(biip.ParseError, match="Failed to get GS1 Application Identifier"):
        GS1Message.parse("10" + "A" * 25)

    hri = "(01)09506000134352(10)LOT-1(21)S/N:7"
    theirs = [(e.ai.ai, e.value) for e in GS1Message.parse_hri(hri).element_strings]
    assert theirs == [("01", GTIN), ("10", "LOT"), ("21", "S")]  # silently cut
    assert elements(hri) == [("01", GTIN), ("10", "LOT-1"), ("21", "S/N:7")]

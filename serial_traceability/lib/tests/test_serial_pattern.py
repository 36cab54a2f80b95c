import datetime
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serial_traceability.lib import serial_pattern as sp
from serial_traceability.lib.serial_pattern import PatternError

CTX = {"prod": "AB12", "categ": "EL", "wh": "WH1", "date": datetime.date(2024, 3, 7)}
ALNUM = string.digits + string.ascii_uppercase


@pytest.mark.parametrize("pattern, expected", [
    ("{prod}/{seq}", "AB12/42"),
    ("{categ}/{seq}", "EL/42"),
    ("{wh}/{seq}", "WH1/42"),
    ("{yyyy}/{seq}", "2024/42"),
    ("{yy}/{seq}", "24/42"),
    ("{mm}/{seq}", "03/42"),
    ("{dd}/{seq}", "07/42"),
    ("{seq}", "42"),
    ("{seq:2}", "42"),
    ("{seq:5}", "00042"),
    ("{seq:12}", "000000000042"),
    ("L{prod}{prod}_{seq:3}", "LAB12AB12_042"),
])
def test_each_placeholder(pattern, expected):
    assert sp.render(pattern, 42, CTX) == expected


def test_default_pattern_and_preview():
    sp.validate(sp.DEFAULT_PATTERN)
    assert sp.preview(sp.DEFAULT_PATTERN, 99, CTX) == [
        "AB12-2403-00099", "AB12-2403-00100", "AB12-2403-00101"]
    assert sp.preview("{seq:2}", 1, CTX, count=2) == ["01", "02"]
    assert sp.preview("{seq:2}", 1, CTX, count=0) == []


def test_padding_never_truncates():
    assert sp.render("{seq:3}", 999, CTX) == "999"
    assert sp.render("{seq}", 0, CTX) == "0"
    with pytest.raises(PatternError, match=r"Counter 1000 does not fit in \{seq:3\}"):
        sp.render("{seq:3}", 1000, CTX)
    with pytest.raises(PatternError, match="negative"):
        sp.render("{seq}", -1, CTX)
    with pytest.raises(TypeError):
        sp.render("{seq}", True, CTX)


def test_date_part_of_datetime_and_early_year():
    ctx = dict(CTX, date=datetime.datetime(987, 12, 31, 23, 59))
    assert sp.render("{yyyy}{yy}{mm}{dd}-{seq}", 1, ctx) == "0987871231-1"


def test_check_known_answer():
    # ISO 7064 MOD 37,2 example also used by python-stdnum's documentation
    assert sp.compute_check("G123489654321") == "Y"
    assert sp.verify_check("G123489654321Y")


def test_check_rendered_and_verified():
    serial = sp.render("{prod}-{seq:4}{check}", 7, CTX)
    assert serial[:-1] == "AB12-0007"
    assert serial[-1] == sp.compute_check("AB12-0007")
    assert sp.verify_check(serial)
    # lowercase is folded, separators skipped (documented trade-off)
    assert sp.compute_check("ab12-0007") == sp.compute_check("AB120007") == serial[-1]
    assert not sp.verify_check("")
    assert not sp.verify_check("A")


def test_check_detects_every_single_character_typo():
    serial = sp.render("{prod}{seq:6}{check}", 123456, CTX)
    for pos, original in enumerate(serial):
        # '*' inside the data would be skipped, i.e. a deletion: not guaranteed to be caught
        for typo in sp._CHECK_CHARS if pos == len(serial) - 1 else ALNUM:
            if typo != original:
                altered = serial[:pos] + typo + serial[pos + 1:]
                assert not sp.verify_check(altered), altered


@given(st.text(alphabet=ALNUM, min_size=1, max_size=19), st.data())
def test_check_detects_substitution_and_transposition(data_text, data):
    check = sp.compute_check(data_text)
    assert check in sp._CHECK_CHARS
    serial = data_text + check
    assert sp.verify_check(serial)
    pos = data.draw(st.integers(0, len(data_text) - 1))
    typo = data.draw(st.sampled_from(ALNUM).filter(lambda c: c != data_text[pos]))
    assert not sp.verify_check(serial[:pos] + typo + serial[pos + 1:])
    if pos + 1 < len(data_text) and data_text[pos] != data_text[pos + 1]:
        swapped = data_text[:pos] + data_text[pos + 1] + data_text[pos] + data_text[pos + 2:]
        assert not sp.verify_check(swapped + check)


@pytest.mark.parametrize("pattern, message", [
    ("{foo}-{seq}", r"Unknown placeholder \{foo\} in pattern"),
    ("{}-{seq}", r"Unknown placeholder \{\}"),
    ("{PROD}-{seq}", r"Unknown placeholder \{PROD\}"),
    ("{prod}-{yy}", r"exactly one counter \{seq\} or \{seq:N\} \(found 0\)"),
    ("{seq}-{seq:3}", r"exactly one counter .*\(found 2\)"),
    ("ABCD{seq", r"Unbalanced brace '\{' at position 5"),
    ("AB{pr{od}{seq}", r"Unbalanced brace '\{' at position 3"),
    ("ABCD}{seq}", r"Unbalanced brace '\}' at position 5"),
    ("{seq}{check}X", r"\{check\} must be the last placeholder"),
    ("{seq}{check}{check}", r"\{check\} must be the last placeholder"),
    ("{check}{seq}", r"\{check\} must be the last placeholder"),
    ("{seq:0}", r"counter width in \{seq:0\} must be a whole number from 1 to 12"),
    ("{seq:13}", r"from 1 to 12"),
    ("{seq:x}", r"from 1 to 12"),
    ("{seq:}", r"from 1 to 12"),
    ("{seq:\u0663}", r"from 1 to 12"),
    ("LOT {seq}", r"not allowed in a GS1 serial: ' '"),
    ("N\u00ba#{seq}~", r"not allowed in a GS1 serial: '\u00ba', '#', '~'"),
    ("{seq:12}{yyyy}{mm}{dd}-X", r"at least 22 characters; a GS1 serial allows at most 20"),
    ("", r"empty"),
    ("A\x00{seq}", r"invisible control character \(U\+0000\) at position 2"),
    ("{se\x00q}", r"control character \(U\+0000\) at position 4"),
    ("{seq}\t", r"control character \(U\+0009\) at position 6"),
    ("{seq}\x85", r"control character \(U\+0085\)"),
    ("A\ud800{seq}", r"broken character \(U\+D800\) at position 2"),
])
def test_invalid_patterns(pattern, message):
    with pytest.raises(PatternError, match=message):
        sp.validate(pattern)
    with pytest.raises(PatternError, match=message):
        sp.render(pattern, 1, CTX)


def test_empty_odoo_field_and_wrong_type():
    with pytest.raises(PatternError, match="empty"):
        sp.validate(False)
    with pytest.raises(PatternError, match="empty"):
        sp.validate(None)
    with pytest.raises(TypeError):
        sp.validate(12)


def test_rendered_value_too_long():
    ctx = dict(CTX, prod="VERYLONGPRODUCTCODE")
    sp.validate("{prod}-{seq:3}")  # only 5 characters are known statically
    with pytest.raises(PatternError, match=r"is 23 characters long; a GS1 serial allows at most"):
        sp.render("{prod}-{seq:3}", 1, ctx)
    assert len(sp.render("{seq:12}{prod}", 1, dict(CTX, prod="ABCDEFGH"))) == 20


def test_rendered_value_with_disallowed_characters():
    with pytest.raises(PatternError, match=r"not allowed in a GS1 serial: ' ' \(from \{prod\}"):
        sp.render("{prod}{seq}", 1, dict(CTX, prod="AB 12"))
    with pytest.raises(PatternError, match=r"'\u00c9' \(from \{wh\}"):
        sp.render("{wh}{seq}", 1, dict(CTX, wh="\u00c9T"))


@pytest.mark.parametrize("pattern, key, message", [
    ("{prod}{seq}", "prod", r"uses \{prod\} but the product's internal reference is not set"),
    ("{categ}{seq}", "categ", r"uses \{categ\} but the product category's code is not set"),
    ("{wh}{seq}", "wh", r"uses \{wh\} but the warehouse's code is not set"),
    ("{yy}{seq}", "date", r"uses \{yy\} but no date was given"),
])
def test_missing_context_value(pattern, key, message):
    for ctx in ({k: v for k, v in CTX.items() if k != key}, dict(CTX, **{key: False})):
        with pytest.raises(PatternError, match=message):
            sp.render(pattern, 1, ctx)
    # values the pattern does not use may be missing
    assert sp.render("{seq}", 1, {}) == "1"
    assert sp.render("{seq}", 1, None) == "1"


def test_wrong_context_types_are_programming_errors():
    with pytest.raises(TypeError):
        sp.render("{prod}{seq}", 1, dict(CTX, prod=12))
    with pytest.raises(TypeError):
        sp.render("{yy}{seq}", 1, dict(CTX, date="2024-03-07"))


@settings(max_examples=300, derandomize=True, database=None)
@given(st.text(st.characters(blacklist_categories=()), max_size=30))
def test_messages_hold_no_control_or_broken_character(pattern):
    """Any text, lone surrogates and NUL included: a PatternError whose message the
    database can store (no NUL, valid UTF-8)."""
    try:
        sp.validate(pattern)
    except PatternError as exc:
        message = str(exc)
        assert "\x00" not in message
        message.encode("utf-8")


BRACEY = st.text(alphabet="{}seq:0123456789prodcategwhymdck -_*\u00e9#", max_size=40)


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=60), BRACEY))
def test_validate_never_raises_anything_but_pattern_error(pattern):
    try:
        sp.validate(pattern)
    except PatternError as exc:
        assert str(exc)
    else:
        # whatever validates must render, with a full context, to a legal GS1 serial or
        # fail only on the length, which depends on the context values
        try:
            serial = sp.render(pattern, 1, CTX)
        except PatternError as exc:
            assert "characters long" in str(exc)
        else:
            assert len(serial) <= 20 and set(serial) <= sp.GS1_CHARSET_82

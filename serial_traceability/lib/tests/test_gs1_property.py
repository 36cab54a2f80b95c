"""Property tests: parse() gives a result or a GS1Error for any text, never anything else."""
import re

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from serial_traceability.lib import gs1
from serial_traceability.lib.gs1 import GS, GS1Error, GS1Result

SETTINGS = settings(max_examples=1000, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
SPECS = list(gs1.AI_SPECS.values())
CORE = [gs1.AI_SPECS[ai] for ai in ("00", "01", "10", "11", "17", "21", "37", "240", "3103")]
DIGITS = "0123456789"
CSET82 = "".join(sorted(gs1.CSET82))


def value_of(spec):
    if spec.kind == "check":
        return st.text(DIGITS, min_size=spec.length - 1, max_size=spec.length - 1).map(
            lambda body: body + gs1.gtin_check_digit(body))
    if spec.kind == "date":
        # Days up to 28 (or 00) are valid in every month of every century.
        return st.builds("{:02d}{:02d}{:02d}".format, st.integers(0, 99), st.integers(1, 12),
                         st.integers(0, 28))
    alphabet = DIGITS if spec.kind == "n" else CSET82
    return st.text(alphabet, min_size=spec.length if spec.fixed else 1, max_size=spec.length)


def field(spec):
    return value_of(spec).map(lambda value: (spec.ai, value))


element_lists = st.lists(st.one_of(st.sampled_from(CORE), st.sampled_from(SPECS)),
                         min_size=1, max_size=6, unique_by=lambda spec: spec.ai).flatmap(
    lambda specs: st.tuples(*[field(spec) for spec in specs])).map(list)


@st.composite
def scanner_codes(draw):
    """A valid element list and the text some scanner or keyboard could send for it."""
    pairs = draw(element_lists)
    form = draw(st.sampled_from(["built", "scanner", "hri"]))
    if form == "hri":
        try:
            return pairs, gs1.build_element_string(pairs, human_readable=True)
        except GS1Error:  # a value holds "(AI)": only the raw form can carry it
            form = "built"
    if form == "built":
        code = gs1.build_element_string(pairs)
    else:  # the way real scanners do it: GS after fixed fields too, sometimes a leading one
        code = GS if draw(st.booleans()) else ""
        for index, (ai, value) in enumerate(pairs):
            last = index == len(pairs) - 1
            gs_after = not gs1.AI_SPECS[ai].fixed and not last or draw(st.booleans())
            code += ai + value + (GS if gs_after else "")
    return pairs, draw(st.sampled_from(["", "]C1", "]d2", "]Q3", "]e0"])) + code


def parse_or_refuse(code):
    try:
        result = gs1.parse(code)
    except GS1Error as exc:
        # a message any screen, log or database column can take
        assert str(exc) and str(exc).isprintable(), str(exc)
        str(exc).encode("utf-8")
        event("refused")
        return None
    event("parsed")
    assert isinstance(result, GS1Result) and result.elements
    # Whatever parse accepts, build writes back and parse reads the same again.
    assert gs1.parse(gs1.build_element_string(result.elements)) == result
    for ai in ("11", "12", "13", "15", "16", "17"):
        if ai in result.elements:
            result.date(ai)
    return result


@SETTINGS
@given(scanner_codes())
def test_valid_codes_round_trip(sample):
    pairs, code = sample
    assert gs1.looks_like_gs1(code) or not code.startswith(("]", "(", GS))
    result = gs1.parse(code)
    assert list(result.elements.items()) == pairs
    assert gs1.build_element_string(result.elements) == gs1.build_element_string(pairs)


MUTATION_CHARS = st.one_of(st.sampled_from(DIGITS + GS + "()]"), st.sampled_from(CSET82),
                           st.characters())


@st.composite
def mutated_codes(draw):
    code = draw(scanner_codes())[1]
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(code)))
        operation = draw(st.sampled_from(["delete", "insert", "replace", "gs", "digit"]))
        if operation == "delete":
            code = code[:index] + code[index + 1:]
        elif operation == "insert":
            code = code[:index] + draw(MUTATION_CHARS) + code[index:]
        elif operation == "replace":
            code = code[:index] + draw(MUTATION_CHARS) + code[index + 1:]
        elif operation == "gs":
            code = code[:index] + GS + code[index:]
        else:
            positions = [i for i, char in enumerate(code) if char in DIGITS]
            if positions:
                i = draw(st.sampled_from(positions))
                code = code[:i] + draw(st.sampled_from(DIGITS.replace(code[i], ""))) + code[i + 1:]
    return code


@SETTINGS
@given(mutated_codes())
def test_mutated_codes_are_parsed_or_refused_with_gs1error(code):
    gs1.looks_like_gs1(code)
    parse_or_refuse(code)


# Any text includes lone surrogates ("\ud800", which a broken client sends) and NUL.
ANY_TEXT = st.text(st.characters(blacklist_categories=()))


@SETTINGS
@given(st.one_of(ANY_TEXT, st.text(DIGITS + GS + "()]Cd12QeA-x \x00\ud800"),
                 st.binary().map(lambda data: data.decode("latin-1")),
                 st.binary().map(lambda data: data.decode("utf-8", "surrogateescape"))))
def test_any_text_is_parsed_or_refused_with_gs1error(code):
    guess = gs1.looks_like_gs1(code)
    text = code.strip(" \r\n\t")
    if GS in text and not text.startswith("]"):
        assert guess is True, "a GS character is only sent in GS1 codes"
    elif text[:1] not in set(DIGITS + "(]"):
        assert guess is False, "GS1 starts with an AI, a bracketed AI or a symbology id"
    parse_or_refuse(code)


@SETTINGS
@given(st.text(DIGITS, min_size=1, max_size=17))
def test_check_digit_agrees_with_biip(digits):
    checksums = pytest.importorskip("biip.gs1.checksums")
    assert gs1.gtin_check_digit(digits) == str(checksums.numeric_check_digit(digits))
    assert gs1.is_valid_gtin(digits) == (len(digits) in (8, 12, 13, 14)
                                         and checksums.numeric_check_digit(digits[:-1])
                                         == int(digits[-1]))


def biip_knows(pairs):
    from biip.gs1._application_identifiers import _GS1_APPLICATION_IDENTIFIERS as known
    return all(ai in known and re.match(known[ai].pattern, ai + value) for ai, value in pairs)


@SETTINGS
@given(element_lists)
def test_same_elements_as_biip(pairs):
    message_class = pytest.importorskip("biip.gs1").GS1Message
    if not biip_knows(pairs):  # biip lacks some (31nn)-(36nn) measures we accept
        return
    event("compared with biip")
    code = gs1.build_element_string(pairs)
    theirs = [(e.ai.ai, e.value) for e in message_class.parse(code).element_strings]
    assert theirs == list(gs1.parse(code).elements.items()) == pairs

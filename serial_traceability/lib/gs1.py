"""Parse and build GS1 element strings (GS1-128, GS1 DataMatrix, GS1 QR, DataBar).

Standard library only (no Odoo), so plain pytest can test it.

Why our own parser: biip 3.0.0 (the last release for Python 3.7) is only used in the
tests, as a cross-check. What we observed with it:

* ``GS1Message.parse("0109506000134352\x1d10ABC")`` raises ``ParseError`` ("Element
  String '(01)09506000134352' has fixed length and should not end with a separator
  character"), yet many real scanners send a GS after fixed-length fields.
* Day ``00`` is accepted, but as the last day of the month for every date AI, (11)
  production date included.
* A wrong GTIN check digit does not raise; it is only noted in ``gtin_error``.
* A variable field that is too long (scanner dropped the GS) is reported as "Failed
  to get GS1 Application Identifier from '...'", which does not say what went wrong.
* ``GS1Message.parse`` does not strip symbology identifiers (``biip.parse`` does).
* ``GS1Message.parse_hri`` reads values as ``\\w+`` and silently cuts them at the
  first other character: ``(10)LOT-1(21)S/N:7`` gives lot ``LOT``, serial ``S``.

Input accepted by ``parse``:

* an optional symbology identifier ``]C1``, ``]d2``, ``]Q3`` or ``]e0``; any other
  ``]xx`` means the barcode is not GS1, so ``parse`` raises and ``looks_like_gs1``
  says False;
* the raw element string with FNC1 sent as GS (ASCII 29). GS is never data, so any
  GS at the start, after a fixed-length field, between fields or at the end is skipped;
* the human-readable form ``(01)09506000134352(10)ABC(21)7``, spaces around values
  ignored. A value ends at the next ``(AI)`` of a known AI, so it cannot contain one.

Missing GS separators: a variable-length value runs to the next GS or the end of the
data. Longer than the AI allows means a separator was dropped and we cannot know
where, so ``GS1Error`` ("... GS separators seem to be missing ... ambiguous"). If it
fits, it is kept even when it looks like it holds another AI (lot ``ABC17250101``):
with no GS after it, it is the last field, and "lot ABC17250101" cannot be told from
"lot ABC + expiry 250101" without the separator, while lots may contain such text.

Dates stay raw YYMMDD strings in ``elements``; as ``datetime.date`` the century
follows GS1 General Specifications 7.12 (49 years back to 50 ahead). Day ``00`` (day
not given) is the last day of the month for the deadlines (15) best before, (16) sell
by and (17) expiry, as GS1 specifies, else the first day ((11), (12), (13)).

Every error is a ``GS1Error`` (a ``ValueError``) with a message meant for users.
"""
import calendar
import datetime
import re
from collections import OrderedDict, namedtuple

__all__ = ["GS1Error", "GS1Result", "parse", "looks_like_gs1", "gtin_check_digit",
           "is_valid_gtin", "normalize_gtin", "build_element_string"]

GS = "\x1d"
GS1_SYMBOLOGY_IDS = ("]C1", "]d2", "]Q3", "]e0")
DIGITS = frozenset("0123456789")
# GS1 General Specifications, character set 82 (figure 7.11-1).
CSET82 = frozenset("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
                   "abcdefghijklmnopqrstuvwxyz")

_Spec = namedtuple("_Spec", "ai name fixed length kind")
# kind: "check" digits with a mod-10 check digit, "date" YYMMDD, "n" digits, "x" cset 82.
# fixed=True are the GS1 "predefined length" AIs, the only ones that need no GS after them.
_TABLE = [
    ("00", "SSCC", True, 18, "check"),
    ("01", "GTIN", True, 14, "check"),
    ("02", "GTIN", True, 14, "check"),
    ("10", "lot/batch number", False, 20, "x"),
    ("11", "production date", True, 6, "date"),
    ("12", "due date", True, 6, "date"),
    ("13", "packaging date", True, 6, "date"),
    ("15", "best before date", True, 6, "date"),
    ("16", "sell by date", True, 6, "date"),
    ("17", "expiry date", True, 6, "date"),
    ("20", "variant", True, 2, "n"),
    ("21", "serial number", False, 20, "x"),
    ("30", "count", False, 8, "n"),
    ("37", "count", False, 8, "n"),
    ("240", "additional product id", False, 30, "x"),
    ("241", "customer part number", False, 30, "x"),
    ("250", "secondary serial number", False, 30, "x"),
    ("400", "order number", False, 30, "x"),
    ("414", "GLN", True, 13, "check"),
]
# (310n)-(369n): measures with n decimals; we keep the digits and do not interpret n.
_TABLE += [("%d%d" % (ai, n), "measure", True, 6, "n") for ai in range(310, 370) for n in range(10)]
# GS1 allows 30 characters in (90) but 90 in the company-internal (91)-(99).
_TABLE += [("%d" % ai, "internal information", False, 30 if ai == 90 else 90, "x")
           for ai in range(90, 100)]
AI_SPECS = OrderedDict((row[0], _Spec(*row)) for row in _TABLE)

_END_OF_MONTH_DATES = ("15", "16", "17")
_HRI_AI = re.compile(r"\(([0-9]{2,4})\)")


class GS1Error(ValueError):
    """A code that is not a valid GS1 element string; the message is meant for users."""


def _show(text, limit=24):
    """``text`` for a message: cut, GS shown as <GS>, and what cannot be printed (NUL,
    controls, lone surrogates from a broken client) as its escape, so that a message
    can be shown, logged and stored whatever was scanned."""
    cut = text if len(text) <= limit else text[:limit]
    shown = "".join(ch if ch.isprintable() else "<GS>" if ch == GS else repr(ch)[1:-1]
                    for ch in cut)
    return shown if cut is text else shown + "\u2026"


def _lookup(data, pos):
    # The table is prefix-free (tested), so the first hit is the only one.
    for size in (2, 3, 4):
        spec = AI_SPECS.get(data[pos:pos + size])
        if spec is not None:
            return spec
    return None


def gtin_check_digit(digits13):
    """GS1 mod-10 check digit for the digits before it (13 for a GTIN-14; any length works)."""
    if not isinstance(digits13, str) or not digits13 or not set(digits13) <= DIGITS:
        raise GS1Error("A check digit can only be computed from digits, got %r" % (digits13,))
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits13)))
    return str(-total % 10)


def normalize_gtin(code):
    """Left-pad a GTIN-8/12/13/14 with zeros to 14 digits (the check digit is not verified)."""
    if not isinstance(code, str) or len(code) not in (8, 12, 13, 14) or not set(code) <= DIGITS:
        raise GS1Error("%r is not a GTIN: it needs 8, 12, 13 or 14 digits" % (code,))
    return code.zfill(14)


def is_valid_gtin(gtin):
    """True for a GTIN-8/12/13/14 with a correct check digit."""
    try:
        gtin = normalize_gtin(gtin)
    except GS1Error:
        return False
    return gtin_check_digit(gtin[:-1]) == gtin[-1]


def _year(yy, today=None):
    this_year = (today or datetime.date.today()).year
    century = this_year - this_year % 100
    diff = yy - this_year % 100
    if 51 <= diff <= 99:
        return century - 100 + yy
    if -99 <= diff <= -50:
        return century + 100 + yy
    return century + yy


def _to_date(ai, raw):
    if len(raw) != 6 or not set(raw) <= DIGITS:
        raise GS1Error("Date %s in (%s) is not a valid date" % (_show(raw), ai))
    year, month, day = _year(int(raw[:2])), int(raw[2:4]), int(raw[4:])
    if 1 <= month <= 12 and day == 0:
        day = calendar.monthrange(year, month)[1] if ai in _END_OF_MONTH_DATES else 1
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise GS1Error("Date %s in (%s) is not a valid date" % (raw, ai)) from None


def _check_value(spec, value):
    """Validate the content of one field; lengths are checked by the caller."""
    if spec.kind == "x":
        bad = sorted(set(value) - CSET82)
        if bad:
            raise GS1Error("The %s (%s) contains characters not allowed in GS1 barcodes: %s"
                           % (spec.name, spec.ai, " ".join(_show(repr(c)) for c in bad)))
    elif not set(value) <= DIGITS:
        raise GS1Error("Application identifier (%s) needs %s, got '%s'"
                       % (spec.ai, "%d digits" % spec.length if spec.fixed else "digits only",
                          _show(value)))
    elif spec.kind == "check":
        expected = gtin_check_digit(value[:-1])
        if value[-1] != expected:
            raise GS1Error("%s %s has a wrong check digit (expected %s)"
                           % (spec.name, value, expected))
    elif spec.kind == "date":
        _to_date(spec.ai, value)


def _check_length(spec, value, raw):
    if spec.fixed and len(value) != spec.length:
        raise GS1Error("Application identifier (%s) needs %d digits, got %d"
                       % (spec.ai, spec.length, len(value)))
    if not value:
        raise GS1Error("Application identifier (%s) has no value" % spec.ai)
    if len(value) > spec.length:
        message = "The %s (%s) can have at most %d characters, got %d ('%s')" % (
            spec.name, spec.ai, spec.length, len(value), _show(value))
        if raw:
            message += ": the GS separators between fields seem to be missing, so the code" \
                       " is ambiguous and cannot be read safely"
        raise GS1Error(message)


def _split_raw(data):
    pos, end = 0, len(data)
    while True:
        while pos < end and data[pos] == GS:
            pos += 1
        if pos >= end:
            return
        spec = _lookup(data, pos)
        if spec is None:
            raise GS1Error("Unknown application identifier at '%s'" % _show(data[pos:]))
        pos += len(spec.ai)
        if spec.fixed:
            value = data[pos:pos + spec.length].split(GS, 1)[0]
        else:
            stop = data.find(GS, pos)
            value = data[pos:] if stop < 0 else data[pos:stop]
        _check_length(spec, value, raw=True)
        pos += len(value)
        yield spec.ai, value


def _next_hri_ai(data, pos):
    for match in _HRI_AI.finditer(data, pos):
        if match.group(1) in AI_SPECS:
            return match
    return None


def _split_hri(data):
    pos, end = 0, len(data)
    while pos < end:
        match = _HRI_AI.match(data, pos)
        if match is None:
            raise GS1Error("Expected an application identifier in parentheses at '%s'"
                           % _show(data[pos:]))
        spec = AI_SPECS.get(match.group(1))
        if spec is None:
            raise GS1Error("Unknown application identifier (%s)" % match.group(1))
        following = _next_hri_ai(data, match.end())
        pos = following.start() if following else end
        value = data[match.end():pos].strip(" " + GS)
        _check_length(spec, value, raw=False)
        yield spec.ai, value


class GS1Result(object):
    """Parsed element string: ``elements`` maps AI to raw value string, in scan order."""

    __slots__ = ("elements",)

    def __init__(self, elements):
        self.elements = OrderedDict(elements)

    def __repr__(self):
        return "GS1Result(%r)" % list(self.elements.items())

    def __eq__(self, other):
        return isinstance(other, GS1Result) and self.elements == other.elements

    def date(self, ai):
        """The date of a date AI as ``datetime.date`` (day 00: see module docstring)."""
        raw = self.elements.get(ai)
        return _to_date(ai, raw) if raw is not None else None

    gtin = property(lambda self: self.elements.get("01"))
    lot = property(lambda self: self.elements.get("10"))
    serial = property(lambda self: self.elements.get("21"))
    sscc = property(lambda self: self.elements.get("00"))
    production_date = property(lambda self: self.date("11"))
    expiry_date = property(lambda self: self.date("17"))

    def element_string(self, human_readable=False):
        return build_element_string(self.elements, human_readable)


def _strip_symbology(code):
    if code.startswith("]") and len(code) >= 3:
        if code[:3] not in GS1_SYMBOLOGY_IDS:
            raise GS1Error("This is not a GS1 barcode (the scanner reports symbology '%s')"
                           % _show(code[:3]))
        return code[3:]
    return code


def parse(code):
    """Parse a scanned or typed GS1 code into a ``GS1Result``; raises ``GS1Error``.

    Without a symbology identifier any text starting with a known AI is read as GS1
    (a bare EAN-13 "95..." would be AI (95)), so callers first ask ``looks_like_gs1``.
    """
    if not isinstance(code, str) or not code.strip(" \r\n\t"):
        raise GS1Error("The barcode is empty")
    # Not str.strip(): Python counts GS as whitespace, and keyboard wedges add CR/LF.
    data = _strip_symbology(code.strip(" \r\n\t"))
    hri = data.lstrip(GS).startswith("(")
    pairs = _split_hri(data.lstrip(GS)) if hri else _split_raw(data)
    elements = OrderedDict()
    for ai, value in pairs:
        _check_value(AI_SPECS[ai], value)
        if elements.get(ai, value) != value:
            raise GS1Error("Application identifier (%s) appears twice with different values"
                           % ai)
        elements[ai] = value
    if not elements:
        raise GS1Error("The barcode contains no GS1 data")
    return GS1Result(elements)


_BARE_PREFIXES = (("00", 18), ("01", 14), ("02", 14))


def looks_like_gs1(code):
    """Cheap guess whether ``code`` is meant as GS1 (then call ``parse``) or a plain serial.

    True for a GS1 symbology identifier, a GS character, a leading ``(NN)``..``(NNNN)``,
    or a leading (00)/(01)/(02) followed by its digits with a valid check digit (the check
    keeps most long numeric serials out). With a wrong check digit, True only when more
    data follows and the whole reads as GS1 once the digit is corrected
    (``010950600013435321PUMP-0003``): a mistyped or misprinted GTIN, which ``parse``
    then refuses by its check digit as it does in the other forms. Other ``]xx``
    identifiers give False.
    """
    if not isinstance(code, str):
        return False
    code = code.strip(" \r\n\t")
    if code.startswith("]"):
        return code[:3] in GS1_SYMBOLOGY_IDS
    if GS in code or _HRI_AI.match(code):
        return True
    for ai, size in _BARE_PREFIXES:
        digits = code[2:2 + size]
        if code.startswith(ai) and len(digits) == size and set(digits) <= DIGITS:
            check = gtin_check_digit(digits[:-1])
            if check == digits[-1]:
                return True
            end = len(ai) + size
            return len(code) > end and _reads_as_gs1(code[:end - 1] + check + code[end:])
    return False


def _reads_as_gs1(code):
    try:
        parse(code)
    except GS1Error:
        return False
    return True


def build_element_string(elements, human_readable=False):
    """Encode ``{ai: value}`` or ``[(ai, value), ...]`` as a GS1 element string.

    Values are validated like in ``parse``; ``datetime.date`` values become YYMMDD.
    A GS follows each variable-length field that is not last, so ``parse`` gives the
    same elements back. ``human_readable`` gives the ``(01)...(10)...`` form instead.
    """
    pairs = list(elements.items() if hasattr(elements, "items") else elements)
    if not pairs:
        raise GS1Error("There is nothing to encode")
    parts, seen = [], set()
    for index, (ai, value) in enumerate(pairs):
        spec = AI_SPECS.get(str(ai))
        if spec is None:
            raise GS1Error("Unknown application identifier (%s)" % ai)
        if spec.ai in seen:
            raise GS1Error("Application identifier (%s) is given twice" % spec.ai)
        seen.add(spec.ai)
        if isinstance(value, datetime.date):
            value = value.strftime("%y%m%d")
        value = str(value)
        _check_length(spec, value, raw=False)
        _check_value(spec, value)
        if human_readable:
            if _next_hri_ai(value, 0):
                raise GS1Error("The value '%s' of (%s) cannot be written in the human-readable"
                               " form: it contains an application identifier in parentheses"
                               % (_show(value), spec.ai))
            parts.append("(%s)%s" % (spec.ai, value))
        else:
            last = index == len(pairs) - 1
            parts.append(spec.ai + value + ("" if spec.fixed or last else GS))
    return "".join(parts)

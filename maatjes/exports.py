"""The funder report as files: an XLSX workbook and a CSV file, written from the same ``Table``
objects the printable page shows, so the page and the files cannot disagree.

Two rules hold for both formats:

- numbers stay numbers and dates stay dates, so a funder can add up a column without retyping;
- every text cell (heading, title, header, note or value) is neutralised against formula
  injection (OWASP "CSV injection"): a spreadsheet runs a cell that starts with ``=``, ``+``,
  ``-`` or ``@`` (or a tab or carriage return before one) as a formula, and names of areas and
  organisations are typed by users. Such a text gets a leading apostrophe. Numbers are never
  touched: a negative number is a number, not a formula.
"""

import csv
import io
import math
import re
from datetime import date, datetime
from decimal import Decimal

from babel.numbers import get_decimal_symbol
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from maatjes.domain.tables import Table, plain

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and carriage
# return, may strip them and then see one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Excel's number formats by value type: counts without decimals, shares and medians with one
# (as the page shows them), dates as ISO dates (unambiguous in Dutch and English alike).
INT_FORMAT = "0"
DECIMAL_FORMAT = "0.0"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

SHEET_NAME_LENGTH = 31  # Excel refuses longer sheet names
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MIN_WIDTH, _MAX_WIDTH = 8, 60


def neutralise(text: str) -> str:
    """The text as a spreadsheet shows it but never runs it: a leading apostrophe before a text
    that a spreadsheet would take for a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _finite(value) -> bool:
    """NaN and infinity are no figures a funder can use, and Excel calls a file holding them
    corrupt; they are written as empty cells."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, Decimal):
        return value.is_finite()
    return True


def _text(value) -> str:
    """A text cell for a file: characters XML cannot hold removed (openpyxl refuses them),
    then neutralised."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


# XLSX ------------------------------------------------------------------------------------------


def sheet_name(title: str, fallback: str, taken: set[str]) -> str:
    """A valid, unique sheet name from the table's title: no ``[]:*?/\\``, no apostrophe at
    either end, at most 31 characters, not "History" (reserved by Excel), and not equal (Excel
    ignores case) to a name in ``taken``, which is updated."""
    name = " ".join(_SHEET_NAME_FORBIDDEN.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", title)).split())
    name = name[:SHEET_NAME_LENGTH].strip().strip("'").strip()
    if not name:
        name = (fallback.strip("'") or "Sheet")[:SHEET_NAME_LENGTH]
    if name.lower() == "history":
        name = f"{name} (1)"
    candidate, number = name, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate = name[: SHEET_NAME_LENGTH - len(suffix)].rstrip().rstrip("'") + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate


def _xlsx_cell(value) -> tuple[object, str | None, int]:
    """The value to store, its number format (``None``: general) and its width in characters."""
    value = plain(value)
    if value is None or not _finite(value):
        return None, None, 0
    if isinstance(value, bool):
        return value, None, len(str(value))
    if isinstance(value, int):
        return value, INT_FORMAT, len(str(value))
    if isinstance(value, float | Decimal):
        return value, DECIMAL_FORMAT, len(f"{value:.1f}")
    if isinstance(value, datetime):
        return value, DATETIME_FORMAT, len(DATETIME_FORMAT)
    if isinstance(value, date):
        return value, DATE_FORMAT, len(DATE_FORMAT)
    text = _text(value)
    return text, None, max((len(line) for line in text.splitlines()), default=0)


def xlsx(tables: list[Table], heading: list[str]) -> bytes:
    """The tables as a workbook, one sheet per table: the heading lines (report, period,
    filters) on top so a sheet forwarded on its own still says what it counts, the table's title,
    a bold header row frozen in view, then the rows, then the table's note."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.creator = "Money Maatjes"
    bold = Font(bold=True)
    taken: set[str] = set()
    for table in tables or [Table(key="report", title=heading[0] if heading else "", columns=[])]:
        sheet = workbook.create_sheet(sheet_name(table.title, table.key, taken))
        # Rows are counted here: ``sheet.max_row`` walks every cell, once per row it would be
        # quadratic.
        row_number = 0
        for line in heading:
            row_number += 1
            sheet.cell(row=row_number, column=1, value=_text(line))
        if heading:
            sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
            row_number += 1  # a blank line
        row_number += 1
        sheet.cell(row=row_number, column=1, value=_text(table.title)).font = bold
        row_number += 1
        header_row = row_number
        widths = [len(column) + 1 for column in table.columns]
        for index, column in enumerate(table.columns, start=1):
            sheet.cell(row=header_row, column=index, value=_text(column)).font = bold
        for row in table.rows:
            row_number += 1
            for index, raw in enumerate(row):
                value, number_format, width = _xlsx_cell(raw)
                cell = sheet.cell(row=row_number, column=index + 1, value=value)
                if number_format:
                    cell.number_format = number_format
                if index >= len(widths):
                    widths.append(0)
                widths[index] = max(widths[index], width)
        if table.note:
            row_number += 2
            sheet.cell(row=row_number, column=1, value=_text(table.note)).font = Font(italic=True)
        for index, width in enumerate(widths, start=1):
            width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# CSV -------------------------------------------------------------------------------------------


def csv_conventions(locale: str) -> tuple[str, str]:
    """The delimiter and the decimal sign Excel expects in ``locale``: where the decimal sign is
    a comma (Dutch, German, French...), Excel splits a CSV on semicolons; elsewhere on commas."""
    decimal_sign = get_decimal_symbol(locale.replace("-", "_"))
    return (";" if decimal_sign == "," else ","), decimal_sign


def _plain_number(value: float | Decimal) -> str:
    """A number in positional notation (``0.00001``, never ``1e-05``, which Excel reads as
    text), with the shortest digits that give back the same float."""
    number = Decimal(repr(value)) if isinstance(value, float) else value
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _csv_cell(value, decimal_sign: str) -> str:
    value = plain(value)
    if value is None or not _finite(value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return _plain_number(value).replace(".", decimal_sign)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return _text(value)


def csv_bytes(tables: list[Table], heading: list[str], locale: str) -> bytes:
    """The tables as one CSV file in UTF-8 with a byte order mark (without it Excel reads the
    file as Windows-1252 and mangles "ë"): the heading lines, a blank line, then per table its
    title, header row, rows, its note if any, and a blank line. Delimiter and decimal sign follow
    ``locale`` as Excel in that language expects them; dates are ISO (``2026-01-31``)."""
    delimiter, decimal_sign = csv_conventions(locale)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for line in heading:
        writer.writerow([_text(line)])
    if heading:
        writer.writerow([])
    for table in tables:
        writer.writerow([_text(table.title)])
        writer.writerow([_text(column) for column in table.columns])
        for row in table.rows:
            writer.writerow([_csv_cell(value, decimal_sign) for value in row])
        if table.note:
            writer.writerow([_text(table.note)])
        writer.writerow([])
    return buffer.getvalue().encode("utf-8-sig")

"""The funder report's files: read back with openpyxl and the csv module, as a funder's
spreadsheet would read them."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from maatjes import exports
from maatjes.domain.tables import Linked, Table

HEADING = ["Money Maatjes: report", "Period: 1 January 2026 to 31 March 2026", "Area: =Noord"]


def _tables() -> list[Table]:
    funnel = Table(
        key="funnel",
        title="Funnel: registered → ended",
        columns=["Step", "Residents", "Share", "Hours", "First", "=SUM(A1)"],
        rows=[
            ("Registered", 12, 87.5, Decimal("2.50"), date(2026, 1, 5), None),
            ('=HYPERLINK("http://evil")', -3, -0.25, Decimal("-1.5"), None, "+31 6 1234"),
            ("-minus", Linked(7, "lead.matches", (("status", "active"),)), 0.00001, None, None, ""),
            ("@at", 0, float("nan"), None, datetime(2026, 2, 3, 14, 5), "\tTab"),
            ("\rReturn", 1, 1.0, None, None, 'Bureau Schuld;hulp, "Noord" ë'),
        ],
        note="-Counted at the end of the period.",
    )
    areas = Table(
        key="areas",
        title="By area / organisation [2026]",
        columns=["Area", "Matches"],
        rows=[("Noord", 4), ("A much longer area name than any column header", 11)],
    )
    same_title = Table(key="areas-2", title="by area / organisation [2026]", columns=["x"])
    return [funnel, areas, same_title]


def _workbook(tables=None, heading=HEADING):
    return load_workbook(io.BytesIO(exports.xlsx(_tables() if tables is None else tables, heading)))


# Neutralising -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+31", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_a_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert exports.neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Noord", "", " =1", "'quoted", "5", "a=b", "ë-@+="])
def test_other_texts_are_left_alone(text):
    assert exports.neutralise(text) == text


# XLSX -------------------------------------------------------------------------------------------


def test_one_sheet_per_table_with_valid_unique_names():
    workbook = _workbook()
    assert workbook.sheetnames == [
        "Funnel registered → ended",
        "By area organisation 2026",
        "by area organisation 2026 (2)",
    ]


def test_sheet_names_follow_excels_rules():
    taken: set[str] = set()
    long = exports.sheet_name("A" * 40, "key", taken)
    assert long == "A" * 31
    again = exports.sheet_name("a" * 40, "key", taken)
    assert len(again) <= 31 and again.endswith(" (2)") and again.lower() != long.lower()
    assert exports.sheet_name("[]:*?/\\", "fallback", taken) == "fallback"
    assert exports.sheet_name("'quoted'", "key", taken) == "quoted"
    assert exports.sheet_name("History", "key", taken) == "History (1)"
    for name in taken:
        assert not set(name) & set("[]:*?/\\") and len(name) <= 31


def test_heading_title_bold_header_and_frozen_panes():
    sheet = _workbook().worksheets[0]
    assert [sheet.cell(row=i, column=1).value for i in range(1, 4)] == [
        "Money Maatjes: report",
        "Period: 1 January 2026 to 31 March 2026",
        "Area: =Noord",  # starts with "A": not a formula, left alone
    ]
    assert sheet.cell(row=4, column=1).value is None
    assert sheet.cell(row=5, column=1).value == "Funnel: registered → ended"
    header = [cell.value for cell in sheet[6]]
    assert header == ["Step", "Residents", "Share", "Hours", "First", "'=SUM(A1)"]
    assert all(cell.font.b for cell in sheet[6])
    assert sheet.freeze_panes == "A7"
    assert sheet.cell(row=7, column=1).value == "Registered"


def test_numbers_stay_numbers_and_dates_dates():
    sheet = _workbook().worksheets[0]
    registered, formula, linked, at, _ = (sheet[row] for row in range(7, 12))
    assert registered[1].value == 12 and registered[1].data_type == "n"
    assert registered[1].number_format == "0"
    assert registered[2].value == 87.5 and registered[2].number_format == "0.0"
    assert registered[3].value == 2.5 and registered[3].number_format == "0.0"
    assert registered[4].is_date and registered[4].value == datetime(2026, 1, 5)
    assert registered[4].number_format == "yyyy-mm-dd"
    assert registered[5].value is None
    # A negative number is a number, never neutralised.
    assert formula[1].value == -3 and formula[1].data_type == "n"
    assert formula[2].value == -0.25 and formula[3].value == -1.5
    # A linked figure on the page is its bare value in the file.
    assert linked[1].value == 7 and linked[1].data_type == "n"
    # NaN is no figure: an empty cell (Excel calls a file holding NaN corrupt).
    assert at[2].value is None
    assert at[4].is_date and at[4].value == datetime(2026, 2, 3, 14, 5)
    assert at[4].number_format == "yyyy-mm-dd hh:mm"


def test_every_text_cell_is_neutralised_and_none_is_a_formula():
    workbook = _workbook()
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert not cell.value.startswith(exports.FORMULA_TRIGGERS), cell.value
    # XML turns a carriage return into a line feed on reading; the apostrophe is what counts.
    assert any(text.startswith("'") and text.endswith("Return") for text in texts)
    for expected in (
        '\'=HYPERLINK("http://evil")',
        "'-minus",
        "'@at",
        "'\tTab",
        "'+31 6 1234",
        "'=SUM(A1)",
        "'-Counted at the end of the period.",
    ):
        assert expected in texts


def test_the_note_is_under_the_rows():
    sheet = _workbook().worksheets[0]
    assert sheet.cell(row=sheet.max_row, column=1).value == "'-Counted at the end of the period."
    assert sheet.cell(row=sheet.max_row - 1, column=1).value is None


def test_columns_are_as_wide_as_their_content():
    sheet = _workbook().worksheets[1]
    long_name = "A much longer area name than any column header"
    assert sheet.column_dimensions["A"].width >= len(long_name)
    assert sheet.column_dimensions["B"].width < sheet.column_dimensions["A"].width
    assert sheet.column_dimensions["B"].width >= len("Matches")


def test_characters_xml_cannot_hold_are_dropped_not_fatal():
    table = Table(key="t", title="T\x00itle", columns=["A\x07"], rows=[("x\x1b=y",)])
    sheet = _workbook([table], ["Report\x01"]).worksheets[0]
    assert sheet.cell(row=1, column=1).value == "Report"
    assert sheet.cell(row=3, column=1).value == "Title"
    assert sheet.cell(row=4, column=1).value == "A"
    assert sheet.cell(row=5, column=1).value == "x=y"


def test_no_tables_still_make_a_workbook_with_the_heading():
    workbook = _workbook([])
    assert len(workbook.sheetnames) == 1
    assert workbook.worksheets[0].cell(row=1, column=1).value == HEADING[0]


def test_a_years_report_is_written_quickly():
    """Issue 11: the XLSX for a year in under 2 seconds; a year's report has hundreds of rows."""
    import time

    rows = [(f"Area {i}", i, i / 7, Decimal(i) / 4, date(2026, 1, 1)) for i in range(400)]
    table = Table(key="big", title="Big", columns=["a", "b", "c", "d", "e"], rows=rows)
    started = time.perf_counter()
    data = exports.xlsx([table] * 5, HEADING)
    assert time.perf_counter() - started < 2
    assert load_workbook(io.BytesIO(data)).worksheets[4].max_row == 400 + 6


# CSV --------------------------------------------------------------------------------------------


def _csv(locale: str) -> tuple[bytes, list[list[str]]]:
    data = exports.csv_bytes(_tables(), HEADING, locale)
    delimiter = ";" if locale.startswith("nl") else ","
    return data, list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def test_csv_has_a_byte_order_mark_and_crlf_lines():
    data, _ = _csv("nl")
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data


def test_dutch_csv_uses_semicolons_and_decimal_commas():
    data, rows = _csv("nl")
    assert data.decode("utf-8-sig").splitlines()[6] == "Registered;12;87,5;2,5;2026-01-05;"
    assert rows[:4] == [[HEADING[0]], [HEADING[1]], [HEADING[2]], []]
    assert rows[4] == ["Funnel: registered → ended"]
    assert rows[5] == ["Step", "Residents", "Share", "Hours", "First", "'=SUM(A1)"]
    assert rows[6] == ["Registered", "12", "87,5", "2,5", "2026-01-05", ""]
    assert rows[7] == ['\'=HYPERLINK("http://evil")', "-3", "-0,25", "-1,5", "", "'+31 6 1234"]
    assert rows[8] == ["'-minus", "7", "0,00001", "", "", ""]
    assert rows[9] == ["'@at", "0", "", "", "2026-02-03 14:05", "'\tTab"]
    assert rows[10] == ["'\rReturn", "1", "1", "", "", 'Bureau Schuld;hulp, "Noord" ë']
    assert rows[11] == ["'-Counted at the end of the period."]
    assert rows[12] == []
    assert rows[13] == ["By area / organisation [2026]"]


def test_english_csv_uses_commas_and_decimal_points():
    _, rows = _csv("en")
    assert rows[6] == ["Registered", "12", "87.5", "2.5", "2026-01-05", ""]
    assert rows[7][1:4] == ["-3", "-0.25", "-1.5"]
    assert rows[10][5] == 'Bureau Schuld;hulp, "Noord" ë'


def test_csv_conventions_follow_the_locale():
    assert exports.csv_conventions("nl") == (";", ",")
    assert exports.csv_conventions("nl_BE") == (";", ",")
    assert exports.csv_conventions("en") == (",", ".")
    assert exports.csv_conventions("en-GB") == (",", ".")


def test_every_text_field_in_the_csv_is_neutralised_and_negative_numbers_are_not():
    for locale in ("nl", "en"):
        _, rows = _csv(locale)
        for row in rows:
            for field in row:
                if field.startswith(exports.FORMULA_TRIGGERS):
                    # Only numbers may start with "-": a negative count or share.
                    assert (
                        field.startswith("-")
                        and field[1:].replace(",", "").replace(".", "").isdigit()
                    ), field
        assert rows[7][:2] == ['\'=HYPERLINK("http://evil")', "-3"]

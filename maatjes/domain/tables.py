"""A table of figures as the page, the XLSX and the CSV all show it.

The funder report and the dashboard turn their figures into ``Table`` objects once; the web page
renders them as HTML tables, ``maatjes.exports`` writes them as sheets or CSV blocks. A cell is
an ``int``, ``float``, ``Decimal``, ``date``, ``str`` or ``None`` (empty), so that numbers stay
numbers and dates stay dates in a spreadsheet.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

Cell = int | float | Decimal | date | str | None


@dataclass
class Table:
    key: str  # stable, ASCII: the sheet's name source and the anchor on the page
    title: str  # in the user's language
    columns: list[str]  # header row, in the user's language
    rows: list[tuple[Cell, ...]] = field(default_factory=list)
    note: str = ""  # a sentence under the table (how a figure is counted), may be empty


@dataclass(frozen=True)
class Linked:
    """A figure on a page that opens the list behind it (``url_for(endpoint, **args)``); files
    show the bare value (``plain``)."""

    value: Cell
    endpoint: str
    args: tuple[tuple[str, str | int], ...] = ()


def plain(value):
    return value.value if isinstance(value, Linked) else value

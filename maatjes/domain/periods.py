"""The period and filters the lead's dashboard and the funder report are computed for.

One ``Scope`` is what a lead picks: a period of whole days (both ends included), and optionally
one area and one member organisation. The area is the resident's (for handovers, the handover's
area); the organisation is the volunteer's. Both the dashboard and the report take a ``Scope``,
so that the page, the XLSX and the CSV can never count a different period.
"""

from dataclasses import dataclass
from datetime import date, timedelta

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
CUSTOM = "custom"
KINDS = (MONTH, QUARTER, YEAR, CUSTOM)

# A period longer than this is refused (a typo such as 1026 for 2026 would otherwise scan
# a thousand years of weeks).
MAX_DAYS = 366 * 5


@dataclass(frozen=True)
class Scope:
    start: date  # first day, included
    end: date  # last day, included
    area_id: int | None = None
    organisation_id: int | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")
        if (self.end - self.start).days > MAX_DAYS:
            raise ValueError("a period is at most five years")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def after_end(self) -> date:
        """The day after the period: ``x < after_end`` selects up to and including ``end``."""
        return self.end + timedelta(days=1)


def month(today: date) -> tuple[date, date]:
    start = today.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


def quarter(today: date) -> tuple[date, date]:
    first_month = 3 * ((today.month - 1) // 3) + 1
    start = date(today.year, first_month, 1)
    end = date(today.year + 1, 1, 1) if first_month == 10 else date(today.year, first_month + 3, 1)
    return start, end - timedelta(days=1)


def year(today: date) -> tuple[date, date]:
    return date(today.year, 1, 1), date(today.year, 12, 31)


def bounds(kind: str, today: date) -> tuple[date, date]:
    """The calendar month, quarter or year that holds ``today``."""
    return {MONTH: month, QUARTER: quarter, YEAR: year}[kind](today)

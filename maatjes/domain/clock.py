"""Local time for Amsterdam: weeks and "today" are Europe/Amsterdam, whatever the server's zone."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from maatjes.domain.errors import RuleViolation

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EARLIEST_RECORD = date(2000, 1, 1)  # no record in this programme is older; 0001-01-01 is a typo


def now_utc() -> datetime:
    return datetime.now(UTC)


def local_today(now: datetime | None = None) -> date:
    """The calendar date in Amsterdam at ``now`` (an aware datetime; default: the present)."""
    now = now or now_utc()
    if now.tzinfo is None:  # naive timestamps in this application are UTC
        now = now.replace(tzinfo=UTC)
    return now.astimezone(AMSTERDAM).date()


def local_midnight_utc(day: date) -> datetime:
    """Midnight at the start of ``day`` in Amsterdam, as the naive UTC the timestamps use."""
    return datetime.combine(day, time(0), tzinfo=AMSTERDAM).astimezone(UTC).replace(tzinfo=None)


def on_local_days(column, first: date, last: date):
    """A naive UTC timestamp column on one of the Amsterdam calendar days ``first`` to ``last``
    (both included), as bounds an index can use."""
    from sqlalchemy import and_

    return and_(
        column >= local_midnight_utc(first),
        column < local_midnight_utc(last + timedelta(days=1)),
    )


def check_past_date(day: date, *, today: date, field: str, future_message: str) -> None:
    """A date on which something happened (consent, a VOG): not ahead, and not before 2000."""
    if day > today:
        raise RuleViolation(future_message, field=field)
    if day < EARLIEST_RECORD:
        raise RuleViolation(_l("Give a date from 1 January 2000 onwards."), field=field)
